// The merchants list's filter state, read from and written to the URL (so it can be shared).
import { wholeNumberOr } from "../http/query-numbers";
import type { MerchantFilters } from "./merchant-directory.server";

export const PER_PAGE = 25;

/** A text parameter without NULs: one would end SQLite's full-text query early, and PostgreSQL refuses them. */
function text(params: URLSearchParams, name: string): string {
  return (params.get(name) ?? "").replaceAll("\0", "").trim();
}

export function readListParams(params: URLSearchParams): { filters: MerchantFilters; page: number; field: string } {
  const filters: MerchantFilters = {};
  const plan = text(params, "plan");
  if (plan) filters.plan = plan;
  const status = params.get("status");
  if (status === "active" || status === "churned") filters.status = status;
  const q = text(params, "q");
  if (q) filters.q = q.slice(0, 200);
  const field = text(params, "field");
  const match = /^([a-z][a-z0-9_-]{0,63})\s*=\s*(.+)$/.exec(field);
  if (match) filters.field = { key: match[1], value: match[2].trim() };
  const page = wholeNumberOr(params, "page", { min: 1, max: 100_000, fallback: 1 });
  return { filters, page, field };
}

export function listHref(base: string, params: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === "") next.delete(key);
    else next.set(key, value);
  }
  const query = next.toString();
  return query ? `${base}?${query}` : base;
}

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["week", 604_800],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(seconds, "second");
}
