// The shape rules for what clients send: custom data, event input, contact fields.
// Pure functions that collect every problem (each naming its field) before anything is written.
import type { ErrorDetail } from "../errors";

export type CustomValue = string | number | boolean;
export type CustomDataPatch = Record<string, CustomValue | null>;

export const LIMITS = {
  customDataKeys: 100,
  /** How many keys an unverified identify may fill a contact up to (see planCustomData). */
  untrustedCustomDataKeys: 50,
  customKeyLength: 64,
  customStringLength: 1000,
  /** A value is one entry of a PostgreSQL B-tree index (at most 2,704 bytes with its key and ids). */
  customStringBytes: 2000,
  eventProperties: 50,
  fieldLength: 255,
  urlLength: 2048,
  emailLength: 254,
  idempotencyKeyLength: 255,
} as const;

const CUSTOM_KEY = /^[a-z][a-z0-9_-]*$/;
const EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MYSHOPIFY = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
// ISO 8601 date-time with a zone (Z or ±hh:mm), or a calendar date alone; each part range-checked below.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2})))?$/;

/** The largest id an id column holds (PostgreSQL's `integer`); a larger one names nothing. */
export const MAX_DATABASE_ID = 2_147_483_647;
export const isDatabaseId = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_DATABASE_ID;

/** An id written in a URL path (digits only, within an id column's range), or null when it names no row. */
export function parsePathId(raw: string | undefined): number | null {
  if (!raw || !/^\d{1,10}$/.test(raw)) return null;
  const id = Number(raw);
  return isDatabaseId(id) ? id : null;
}

/** An app's public key (`app_…`): anything else names no app, and is never looked up. */
export const APP_KEY = /^app_[A-Za-z0-9]{1,64}$/;

/** PostgreSQL refuses NUL in text (SQLite stores it): no stored string may hold one. */
export const containsNul = (value: string) => value.includes("\u0000");
export const NUL_MESSAGE = "must not contain NUL characters (\\u0000)";

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function checkValue(field: string, value: unknown, allowNull: boolean, problems: ErrorDetail[]) {
  if (value === null) {
    if (!allowNull) problems.push({ field, message: "must not be null" });
  } else if (typeof value === "string") {
    if (containsNul(value)) problems.push({ field, message: NUL_MESSAGE });
    else if (value.length > LIMITS.customStringLength)
      problems.push({ field, message: `must be at most ${LIMITS.customStringLength} characters (got ${value.length})` });
    else if (Buffer.byteLength(value, "utf8") > LIMITS.customStringBytes)
      problems.push({ field, message: `must be at most ${LIMITS.customStringBytes} bytes in UTF-8 (got ${Buffer.byteLength(value, "utf8")})` });
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) problems.push({ field, message: "must be a finite number" });
  } else if (typeof value !== "boolean") {
    const kind = Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : typeof value;
    problems.push({ field, message: `must be a string, number, boolean or null (got ${kind})` });
  }
}

function checkKey(field: string, key: string, problems: ErrorDetail[]): boolean {
  if (key.length > LIMITS.customKeyLength) {
    problems.push({ field, message: `key must be at most ${LIMITS.customKeyLength} characters` });
    return false;
  }
  if (!CUSTOM_KEY.test(key)) {
    problems.push({ field, message: "key must start with a lowercase letter and use only a-z, 0-9, _ and -" });
    return false;
  }
  return true;
}

/** Validates a custom_data object (null values clear keys). Problems are named `custom_data.<key>`. */
export function checkCustomData(input: unknown, problems: ErrorDetail[], prefix = "custom_data"): CustomDataPatch {
  if (!isPlainObject(input)) {
    problems.push({ field: prefix, message: "must be an object of key/value pairs" });
    return {};
  }
  const patch: CustomDataPatch = {};
  for (const [key, value] of Object.entries(input)) {
    const field = `${prefix}.${key}`;
    if (!checkKey(field, key, problems)) continue;
    const before = problems.length;
    checkValue(field, value, true, problems);
    if (problems.length === before) patch[key] = value as CustomValue | null;
  }
  return patch;
}

export function checkEventProperties(input: unknown, problems: ErrorDetail[]): Record<string, CustomValue | null> {
  if (input === undefined) return {};
  const properties = checkCustomData(input, problems, "properties");
  if (isPlainObject(input) && Object.keys(input).length > LIMITS.eventProperties) {
    problems.push({ field: "properties", message: `must have at most ${LIMITS.eventProperties} keys (got ${Object.keys(input).length})` });
  }
  return properties;
}

export function checkEventName(input: unknown, problems: ErrorDetail[]): string {
  if (typeof input !== "string" || !EVENT_NAME.test(input)) {
    problems.push({
      field: "name",
      message: "must be 1–64 characters: a lowercase letter, then lowercase letters, digits or _ (e.g. plan_upgraded)",
    });
    return "";
  }
  return input;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The instant an ISO 8601 string names, or null when it names none: every part is range-checked
 * (JavaScript's own parser reads 2026-02-30 as 2 March), and the result lies in years 1–9999,
 * which both engines store.
 */
export function parseIsoTimestamp(input: string): Date | null {
  const match = ISO_8601.exec(input);
  if (!match) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59) return null;
  const date = new Date(input.length === 10 ? `${input}T00:00:00Z` : input.replace(" ", "T"));
  if (Number.isNaN(date.getTime())) return null;
  const utcYear = date.getUTCFullYear();
  return utcYear >= 1 && utcYear <= 9999 ? date : null;
}

/** An ISO 8601 timestamp, or `fallback` when absent. */
export function checkTimestamp(field: string, input: unknown, problems: ErrorDetail[], fallback: Date): Date {
  if (input === undefined || input === null) return fallback;
  const date = typeof input === "string" ? parseIsoTimestamp(input) : null;
  if (!date) {
    problems.push({ field, message: 'must be an ISO 8601 date-time that exists, e.g. "2026-06-07T10:30:00Z"' });
    return fallback;
  }
  return date;
}

export type ContactFields = {
  email?: string | null;
  externalId?: string | null;
  name?: string | null;
  company?: string | null;
  phone?: string | null;
  avatarUrl?: string | null;
};

function optionalString(
  body: Record<string, unknown>,
  field: string,
  problems: ErrorDetail[],
  max: number = LIMITS.fieldLength,
): string | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== "string") {
    problems.push({ field, message: "must be a string" });
    return undefined;
  }
  const trimmed = value.trim();
  if (containsNul(trimmed)) problems.push({ field, message: NUL_MESSAGE });
  else if (trimmed.length > max) problems.push({ field, message: `must be at most ${max} characters` });
  return trimmed === "" ? null : trimmed;
}

/**
 * How emails are stored and looked up: ASCII letters lowercased, nothing else. Full Unicode case
 * folding would store a signed "\u212Aate@…" (Kelvin sign) as someone else's "kate@…".
 */
export function normalizeEmail(email: string): string {
  return email.trim().replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** The contact fields a body carries (undefined: not sent; null: sent empty). */
export function checkContactFields(body: Record<string, unknown>, problems: ErrorDetail[]): ContactFields {
  const fields: ContactFields = {};
  const email = optionalString(body, "email", problems, LIMITS.emailLength);
  if (email !== undefined) {
    if (email !== null && !EMAIL.test(email)) problems.push({ field: "email", message: "must be an email address" });
    fields.email = email === null ? null : normalizeEmail(email);
  }
  const rawExternalId = body.external_id;
  if (typeof rawExternalId === "number" && Number.isSafeInteger(rawExternalId)) {
    fields.externalId = String(rawExternalId);
  } else {
    const externalId = optionalString(body, "external_id", problems);
    if (externalId !== undefined) fields.externalId = externalId;
  }
  for (const [field, key] of [
    ["name", "name"],
    ["company", "company"],
    ["phone", "phone"],
  ] as const) {
    const value = optionalString(body, field, problems);
    if (value !== undefined) fields[key] = value;
  }
  const avatar = optionalString(body, "avatar_url", problems, LIMITS.urlLength);
  if (avatar !== undefined) {
    if (avatar !== null && !/^https?:\/\/[^\s]+$/i.test(avatar)) problems.push({ field: "avatar_url", message: "must be an http(s) URL" });
    fields.avatarUrl = avatar;
  }
  return fields;
}

export function checkShop(input: unknown, problems: ErrorDetail[]): string | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== "string" || !MYSHOPIFY.test(input.trim().toLowerCase())) {
    problems.push({ field: "shop", message: "must be a myshopify.com domain, e.g. acme.myshopify.com" });
    return undefined;
  }
  return input.trim().toLowerCase();
}

export function checkUnknownFields(body: Record<string, unknown>, allowed: readonly string[], problems: ErrorDetail[]) {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) problems.push({ field: key, message: `is not a known field (known: ${allowed.join(", ")})` });
  }
}

/** The string form filters compare against, and the JSON type that restores the value. */
export function encodeCustomValue(value: CustomValue): { value: string; type: "string" | "number" | "boolean" } {
  if (typeof value === "boolean") return { value: value ? "true" : "false", type: "boolean" };
  if (typeof value === "number") return { value: String(value), type: "number" };
  return { value, type: "string" };
}

export function decodeCustomValue(value: string, type: string): CustomValue {
  if (type === "number") return Number(value);
  if (type === "boolean") return value === "true";
  return value;
}
