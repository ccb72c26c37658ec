// What the dashboard's charts put on their axes: round value ticks and spaced UTC day labels.
// Pure and locale-fixed, so the server's render and the browser's hydration print the same text.

/** 0 and round steps (1, 2, 5 × 10ⁿ) up to at least `max`: about `count` ticks. */
export function valueTicks(max: number, count = 4, options: { whole?: boolean } = {}): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / power;
  const nice = (ratio >= 5 ? 10 : ratio >= 2 ? 5 : ratio > 1 ? 2 : 1) * power;
  // Counts step by whole numbers.
  const step = options.whole ? Math.max(1, Math.round(nice)) : nice;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2 && ticks.length < 50; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/** Indices of the days to label: every 1, 2, 7, 14 or 28 days, at most `most` labels, ending on the last day. */
export function dayLabelIndices(length: number, most = 7): number[] {
  const stride = [1, 2, 7, 14, 28, 56].find((s) => Math.ceil(length / s) <= most) ?? Math.ceil(length / most);
  const indices: number[] = [];
  for (let i = length - 1; i >= 0; i -= stride) indices.unshift(i);
  return indices;
}

const DAY_FORMAT = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const MONTH_FORMAT = new Intl.DateTimeFormat("en-US", { month: "short", year: "numeric", timeZone: "UTC" });
const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2, minimumFractionDigits: 0 });

/** "Dec 2" for 2026-12-02 (a UTC day). */
export const formatDay = (day: string) => DAY_FORMAT.format(new Date(`${day}T00:00:00Z`));
/** "Nov 2026" for 2026-11. */
export const formatMonth = (month: string) => MONTH_FORMAT.format(new Date(`${month}-01T00:00:00Z`));
/** "$1,234" or "$19.50". */
export const formatUsd = (usd: number) => USD.format(usd);
