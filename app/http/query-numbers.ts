// Whole-number query parameters (?page=2, ?per_page=50, ?after=41, ?wait=25), read one way: digits
// only. The API answers anything else with a 422 naming the parameter; the pages and the inboxes'
// live cursor, whose URLs people edit, fall back to a default instead.
import { invalid, type ErrorDetail } from "../errors";

/** Digits only: no sign, fraction, exponent, hex prefix or spaces, all of which Number() takes. */
const DIGITS = /^\d+$/;

/** What a parameter may hold, and what its absence (or an empty value) means. */
export type WholeNumberRange = { min: number; max: number; fallback: number };

/** The value written as digits, or null; absent and empty are `fallback`. */
function readDigits(params: URLSearchParams, name: string, fallback: number): number | null {
  const raw = params.get(name);
  if (raw === null || raw === "") return fallback;
  return DIGITS.test(raw) ? Number(raw) : null;
}

/**
 * The API's reading: each named parameter as a whole number within its range, or one 422 naming
 * every parameter that is not.
 */
export function requireWholeNumbers<Name extends string>(url: URL, ranges: Record<Name, WholeNumberRange>): Record<Name, number> {
  const values = {} as Record<Name, number>;
  const details: ErrorDetail[] = [];
  for (const [name, { min, max, fallback }] of Object.entries(ranges) as [Name, WholeNumberRange][]) {
    const value = readDigits(url.searchParams, name, fallback);
    if (value === null || value < min || value > max) details.push({ field: name, message: `must be a whole number from ${min} to ${max}` });
    else values[name] = value;
  }
  if (details.length) throw invalid(details);
  return values;
}

/** A page's reading: a value that is not a whole number is `fallback`; one past the range is brought within it. */
export function wholeNumberOr(params: URLSearchParams, name: string, { min, max, fallback }: WholeNumberRange): number {
  const value = readDigits(params, name, fallback);
  return value === null ? fallback : Math.min(max, Math.max(min, value));
}
