// Records what Shopify said about a merchant and brings its custom data and Shopify events in
// line with the fold of everything it said (docs/decisions/019). A fact later than every other
// is one step of the kept fold; an earlier one re-folds the merchant's facts, and each event that
// now reads differently is corrected in place (same id) and says why.
import type { Sql } from "../db/sql.server";
import { applyCustomData, latestAssertedAt, readCustomData } from "../contacts/custom-data-values.server";
import { lockAppContact } from "../contacts/app-contacts.server";
import { deleteEventByKey, insertEvent, rewriteEventByKey } from "../contacts/events.server";
import type { ContactFields, CustomDataPatch, CustomValue } from "../contacts/validation";
import {
  factEventKey,
  findFactProvenance,
  findMerchantState,
  insertFact,
  listFacts,
  parseFoldState,
  saveFactReading,
  saveMerchantState,
  type NewFact,
  type StoredFact,
} from "./merchant-facts.server";
import { FOLD_KEYS, customDataOf, factKey, initialState, step, type DerivedEvent, type FoldState } from "./merchant-fold";
import { applyMerchantChange, findMerchant, hasEvent, merchantApp } from "./merchant-contact.server";

export type RecordedFacts = {
  appContactId: number;
  state: FoldState;
  /** The events this call's facts read as (new ones only). */
  created: { fact: StoredFact; event: DerivedEvent }[];
  /** Whether a fact arrived late and the merchant's facts were folded again. */
  refolded: boolean;
};

function provenance(fact: Pick<StoredFact, "source" | "webhookId" | "eventId" | "arrivedLate">): Record<string, CustomValue> {
  return {
    source: fact.source,
    ...(fact.webhookId ? { shopify_webhook_id: fact.webhookId } : {}),
    ...(fact.eventId ? { shopify_event_id: fact.eventId } : {}),
    ...(fact.arrivedLate ? { received_late: true } : {}),
  };
}

/** How a fact's event is kept on the fact (`reads`): compared as text on a re-fold. */
const reading = (event: DerivedEvent | null) => (event ? JSON.stringify(event) : null);

function summary(event: { name: string; properties: Record<string, CustomValue | null> }): string {
  const p = event.properties;
  if (p.from_plan !== undefined)
    return `${event.name} ${p.from_plan} → ${p.to_plan} (${Number(p.mrr_delta) >= 0 ? "+" : ""}${p.mrr_delta} USD/month)`;
  if (p.from !== undefined) return `${event.name} ${p.from} → ${p.to}`;
  return p.plan ? `${event.name} (${p.plan})` : event.name;
}

function describeFact(fact: StoredFact): string {
  const what = fact.kind === "installation" ? fact.status : `${fact.kind} ${fact.status}${fact.data.name ? ` (${fact.data.name})` : ""}`;
  const by = fact.source === "reconciliation" ? "reconciliation with Shopify found" : "a late delivery told of";
  return `${by} ${what} at ${fact.occurredAt.toISOString()}`;
}

/**
 * The state recorded before facts were kept (custom data written by the earlier, in-place
 * handlers), as a first fact standing for everything before it. Null for a merchant without any.
 */
async function legacyBaseline(tx: Sql, appContactId: number): Promise<NewFact | null> {
  const at = await latestAssertedAt(tx, appContactId, FOLD_KEYS);
  if (!at) return null;
  const data = await readCustomData(tx, appContactId);
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : undefined);
  const state: Partial<FoldState> = {
    plan: text("plan"),
    mrr: typeof data.mrr_usd === "number" ? data.mrr_usd : undefined,
    billingStatus: text("billing_status") as FoldState["billingStatus"],
    trialEndsAt: text("trial_ends_at"),
    trialUsed: await hasEvent(tx, appContactId, "trial_started"),
    installed: typeof data.active === "boolean" ? data.active : undefined,
    everInstalled: "install_date" in data,
    installDate: text("install_date"),
    uninstalledAt: text("uninstalled_at"),
    shopifyPlan: text("shopify_plan"),
  };
  return {
    kind: "baseline",
    subject: "",
    status: "",
    occurredAt: at,
    data: { state: JSON.stringify(state) },
    source: "baseline",
    receivedAt: new Date(),
  };
}

/**
 * Records facts about the shop's merchant (creating it on first sight) inside `tx`: its custom
 * data and Shopify events become what the fold of all its facts says. `fields` and `customData`
 * (keys the fold does not own) are written as the contact's other details.
 */
export async function recordMerchantFacts(
  tx: Sql,
  shop: string,
  facts: NewFact[],
  options: { fields?: ContactFields; customData?: CustomDataPatch; at?: Date } = {},
): Promise<RecordedFacts> {
  const app = await merchantApp(tx);
  const at =
    options.at ?? facts.reduce<Date | undefined>((latest, f) => (!latest || f.occurredAt > latest ? f.occurredAt : latest), undefined) ?? new Date();
  const { appContactId } = await applyMerchantChange(tx, { shop, occurredAt: at, fields: options.fields, customData: options.customData });
  if (facts.length === 0) return { appContactId, state: initialState(), created: [], refolded: false };
  // One fold at a time per merchant (PostgreSQL; SQLite's transactions already run one at a time).
  await lockAppContact(tx, appContactId);

  const kept = await findMerchantState(tx, app.id, appContactId);
  const baseline = kept ? null : await legacyBaseline(tx, appContactId);
  const incoming = [...(baseline ? [baseline] : []), ...facts]
    .map((fact) => ({ ...fact, sortKey: factKey(fact) }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1))
    .map((fact) => ({ ...fact, arrivedLate: kept !== null && fact.sortKey < kept.lastFactKey }));
  const late = incoming.some((fact) => fact.arrivedLate);
  const fresh = () => (kept ? parseFoldState(kept.stateJson) : initialState());

  // In order: each fact is the next step of the kept fold, stored with the event it reads as.
  let state = fresh();
  const created: RecordedFacts["created"] = [];
  const stored: StoredFact[] = [];
  for (const fact of incoming) {
    const event = late ? null : step(state, fact);
    const id = await insertFact(tx, app.id, appContactId, { ...fact, reads: late ? null : reading(event) });
    if (id === null) {
      // Already told: the fold goes on from the state without it.
      if (!late) {
        state = fresh();
        stored.forEach((f) => step(state, f));
      }
      continue;
    }
    const storedFact = { ...fact, id, reads: reading(event) };
    stored.push(storedFact);
    if (!event) continue;
    await insertEvent(tx, {
      appId: app.id,
      appContactId,
      name: event.name,
      occurredAt: fact.occurredAt,
      properties: { ...event.properties, ...provenance(storedFact) },
      idempotencyKey: factEventKey(appContactId, fact.sortKey),
    });
    created.push({ fact: storedFact, event });
  }
  if (stored.length === 0) return { appContactId, state, created, refolded: false };
  if (late) state = await refold(tx, app.id, appContactId, stored, created);
  const lastFactKey = stored.reduce((last, fact) => (fact.sortKey > last ? fact.sortKey : last), kept?.lastFactKey ?? "");
  await saveMerchantState(tx, app.id, appContactId, state, lastFactKey);
  await writeFoldedCustomData(tx, app.id, appContactId, state, new Date(lastFactKey.slice(0, lastFactKey.indexOf("|"))));
  return { appContactId, state, created, refolded: late };
}

/**
 * Folds all the merchant's facts again, now that `late` ones are among them: each fact whose
 * event reads differently has it corrected in place (same id, marked corrected and why), added or
 * removed. Returns the final state; the late facts' own new events are added to `created`.
 */
async function refold(tx: Sql, appId: number, appContactId: number, late: StoredFact[], created: RecordedFacts["created"]): Promise<FoldState> {
  const newFacts = new Map(late.map((fact) => [fact.id, fact]));
  const reason = late
    .filter((fact) => fact.arrivedLate)
    .map(describeFact)
    .join("; ");
  const correctedAt = new Date().toISOString();
  const state = initialState();
  for (const fact of await listFacts(tx, appId, appContactId)) {
    const event = step(state, fact);
    const now = reading(event);
    if (now === fact.reads) continue;
    const key = factEventKey(appContactId, fact.sortKey);
    const was = fact.reads ? (JSON.parse(fact.reads) as DerivedEvent) : null;
    const isNew = newFacts.has(fact.id);
    if (!event) {
      await deleteEventByKey(tx, appId, key);
    } else {
      const correction: Record<string, CustomValue> = isNew
        ? {}
        : { corrected_at: correctedAt, correction: was ? `was ${summary(was)}: ${reason}` : `recorded when ${reason}` };
      const told = newFacts.get(fact.id) ?? (await findFactProvenance(tx, appId, fact.id));
      const properties = { ...event.properties, ...provenance(told), ...correction };
      if (was) await rewriteEventByKey(tx, appId, key, { name: event.name, properties });
      else await insertEvent(tx, { appId, appContactId, name: event.name, occurredAt: fact.occurredAt, properties, idempotencyKey: key });
      const stored = newFacts.get(fact.id);
      if (stored) created.push({ fact: stored, event });
    }
    await saveFactReading(tx, appId, fact.id, now);
  }
  return state;
}

/**
 * The merchant's folded state as it stands, its record locked until `tx` ends: what Shopify's
 * own account of the merchant is compared with (reconciliation). A new shop's is the empty state.
 */
export async function foldStateOf(tx: Sql, shop: string): Promise<FoldState> {
  const merchant = await findMerchant(tx, shop);
  if (!merchant) return initialState();
  await lockAppContact(tx, merchant.appContactId);
  const app = await merchantApp(tx);
  const kept = await findMerchantState(tx, app.id, merchant.appContactId);
  if (kept) return parseFoldState(kept.stateJson);
  const state = initialState();
  const baseline = await legacyBaseline(tx, merchant.appContactId);
  if (baseline) step(state, baseline);
  return state;
}

/** The custom-data keys the fold owns, set to what it says wherever they differ. */
async function writeFoldedCustomData(tx: Sql, appId: number, appContactId: number, state: FoldState, assertedAt: Date): Promise<void> {
  const stored = await readCustomData(tx, appContactId);
  const set = Object.fromEntries(Object.entries(customDataOf(state)).filter(([key, value]) => stored[key] !== value));
  if (Object.keys(set).length) await applyCustomData(tx, appId, appContactId, { set, remove: [] }, { assertedAt, authoritative: true });
}
