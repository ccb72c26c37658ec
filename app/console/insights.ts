// Revenue and merchant insights as the merchants' facts tell them (docs/decisions/026): each
// merchant's facts are folded again in time order (the same pure step as the live fold), so MRR on
// any past day is the sum of the `mrr_usd` the merchants had at the end of that day. Pure.
import { initialState, step, type Fact, type FoldState } from "../shopify/merchant-fold";

export const DAY_MS = 86_400_000;

/** A merchant's facts in the fold's order (by sort key). */
export type MerchantHistory = { appContactId: number; facts: Fact[] };

export type Movement = "new" | "expansion" | "contraction" | "churned";
export const MOVEMENTS: Movement[] = ["new", "expansion", "contraction", "churned"];

/** A merchant's standing now: churned (uninstalled), else frozen, trialing, paying or free. */
export type Standing = "paying" | "trialing" | "frozen" | "free" | "churned";
export const STANDINGS: Standing[] = ["paying", "trialing", "frozen", "free", "churned"];

export type DayPoint = { day: string; mrr: number } & Record<Movement, number>;
export type MonthRow = {
  month: string;
  movements: Record<Movement, number>;
  /** Merchants installed when the month began, and those of them and of the month's installs who uninstalled in it. */
  installedAtStart: number;
  uninstalled: number;
};

export type Insights = {
  from: string;
  to: string;
  mrr: number;
  days: DayPoint[];
  months: MonthRow[];
  standings: Record<Standing, number>;
  trials: { converted: number; lost: number; inTrial: number };
  /** The merchants behind each number, by cohort key (see cohortKeys). */
  cohorts: Map<string, Set<number>>;
};

const cents = (usd: number | undefined) => Math.round((usd ?? 0) * 100);
const usd = (c: number) => c / 100;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

function classify(before: number, after: number): Movement {
  if (before === 0) return "new";
  if (after === 0) return "churned";
  return after > before ? "expansion" : "contraction";
}

function standingOf(s: FoldState, seen: boolean, now: Date): Standing | null {
  if (!seen) return null;
  if (s.installed === false) return "churned";
  if (s.billingStatus === "frozen") return "frozen";
  const paying = (s.mrr ?? 0) > 0 && s.billingStatus === "active";
  if (paying && s.trialEndsAt && new Date(s.trialEndsAt) > now) return "trialing";
  return paying ? "paying" : "free";
}

/** A trial converts when, as it ends, the merchant is still installed and paid up on a priced plan. */
const convertedAt = (s: FoldState) => s.installed !== false && s.billingStatus === "active" && (s.mrr ?? 0) > 0;

/** Whether the merchant counts among the installed ones (an install seen, or webhooks from a shop whose install came before we kept facts). */
const installedNow = (s: FoldState, seen: boolean) => seen && s.installed !== false;

/**
 * The insights over the `days` UTC days ending with `now`'s day. Every figure is the fold of the
 * facts at that time; cohorts hold the appContactIds behind each figure.
 */
export function computeInsights(merchants: Iterable<MerchantHistory>, options: { now: Date; days: number }): Insights {
  const { now, days } = options;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = today - (days - 1) * DAY_MS;
  const monthStarts: number[] = [];
  for (let m = Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), 1); m <= today;) {
    monthStarts.push(m);
    const d = new Date(m);
    m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const months: MonthRow[] = monthStarts.map((m) => ({
    month: monthOf(m),
    movements: { new: 0, expansion: 0, contraction: 0, churned: 0 },
    installedAtStart: 0,
    uninstalled: 0,
  }));
  const deltas = Array.from({ length: days }, () => ({ new: 0, expansion: 0, contraction: 0, churned: 0 }));
  const standings: Record<Standing, number> = { paying: 0, trialing: 0, frozen: 0, free: 0, churned: 0 };
  const trials = { converted: 0, lost: 0, inTrial: 0 };
  const cohorts = new Map<string, Set<number>>();
  const monthIndex = (time: number) => {
    let i = 0;
    while (i + 1 < monthStarts.length && monthStarts[i + 1] <= time) i++;
    return i;
  };
  const add = (key: string, id: number) => {
    let set = cohorts.get(key);
    if (!set) cohorts.set(key, (set = new Set()));
    set.add(id);
  };
  let mrrNow = 0;

  for (const { appContactId: id, facts } of merchants) {
    const state = initialState();
    let seen = false;
    let value = 0; // cents, after the facts stepped so far
    let closed = 0; // cents at the end of the last day closed
    let openDay: number | null = null;
    let nextMonth = 0;
    let trialEnd: number | null = null;

    const closeDay = (day: number) => {
      if (day >= 0 && value !== closed) {
        const movement = classify(closed, value);
        const amount = Math.abs(value - closed);
        deltas[day][movement] += amount;
        const month = monthIndex(start + day * DAY_MS);
        months[month].movements[movement] += amount;
        add(`${movement}:${months[month].month}`, id);
      }
      closed = value;
    };
    /** What is known at `time`, before the facts of that instant: month starts and trial ends passed. */
    const passTo = (time: number) => {
      while (nextMonth < monthStarts.length && monthStarts[nextMonth] <= time) {
        if (installedNow(state, seen)) months[nextMonth].installedAtStart++;
        nextMonth++;
      }
      if (trialEnd !== null && trialEnd <= time) {
        if (trialEnd >= start) {
          const converted = convertedAt(state);
          if (converted) trials.converted++;
          else trials.lost++;
          add(converted ? "trial-converted" : "trial-lost", id);
        }
        trialEnd = null;
      }
    };

    for (const fact of facts) {
      const time = fact.occurredAt.getTime();
      passTo(time);
      // A fact may be stamped a little after now (Shopify's clock): it belongs to today.
      const day = Math.min(days - 1, Math.floor((time - start) / DAY_MS));
      if (openDay !== null && day !== openDay) closeDay(openDay);
      openDay = day;
      const wasInstalled = installedNow(state, seen);
      const hadTrial = state.trialEndsAt;
      step(state, fact);
      seen = true;
      value = cents(state.mrr);
      if (state.trialEndsAt && state.trialEndsAt !== hadTrial) trialEnd = Date.parse(state.trialEndsAt);
      if (wasInstalled && state.installed === false && time >= monthStarts[0]) {
        const month = monthIndex(time);
        months[month].uninstalled++;
        add(`logo-churn:${months[month].month}`, id);
      }
    }
    if (openDay !== null) closeDay(openDay);
    passTo(now.getTime());
    if (trialEnd !== null) {
      trials.inTrial++;
      add("trial-in-progress", id);
    }

    const standing = standingOf(state, seen, now);
    if (standing) {
      standings[standing]++;
      add(standing, id);
      if (standing !== "churned") add("active", id);
    }
    if (value > 0) add("mrr", id);
    mrrNow += value;
  }

  // The series: the MRR at the start, moved by each day's movements.
  let mrr = mrrNow - deltas.reduce((sum, d) => sum + d.new + d.expansion - d.contraction - d.churned, 0);
  const series: DayPoint[] = deltas.map((d, i) => {
    mrr += d.new + d.expansion - d.contraction - d.churned;
    return {
      day: isoDay(start + i * DAY_MS),
      mrr: usd(mrr),
      new: usd(d.new),
      expansion: usd(d.expansion),
      contraction: usd(d.contraction),
      churned: usd(d.churned),
    };
  });
  return {
    from: isoDay(start),
    to: isoDay(today),
    mrr: usd(mrrNow),
    days: series,
    months: months.map((m) => ({
      ...m,
      movements: {
        new: usd(m.movements.new),
        expansion: usd(m.movements.expansion),
        contraction: usd(m.movements.contraction),
        churned: usd(m.movements.churned),
      },
    })),
    standings,
    trials,
    cohorts,
  };
}
