// What the console shows of an app's merchants: a filtered, searchable, paginated list and one
// merchant's identity, custom data and timeline. Every query is scoped to the app, and the app
// to the operator's organization (anything else is "not found").
import { sql } from "../db.server";
import { toDate, type SqlValue } from "../db/sql.server";
import { notFound } from "../errors";
import { findContactInApp } from "../contacts/contacts-in-app.server";
import { listEvents, type EventRow } from "../contacts/events.server";
import { PROVENANCE_KEYS } from "../shopify/merchant-fold";
import { findShopReconciliation } from "../shopify/shop-reconciliations.server";

export type ConsoleApp = { id: number; name: string; publicKey: string };

export async function appsOfOrganization(organizationId: number): Promise<ConsoleApp[]> {
  const rows = await sql.all<{ id: number; name: string; publicKey: string }>(
    `SELECT "id", "name", "publicKey" FROM "App" WHERE "organizationId" = ? ORDER BY "id"`,
    [organizationId],
  );
  return rows.map((row) => ({ id: Number(row.id), name: row.name, publicKey: row.publicKey }));
}

export async function appForOperator(organizationId: number, appId: number): Promise<ConsoleApp> {
  const row = await sql.one<{ id: number; name: string; publicKey: string }>(
    `SELECT "id", "name", "publicKey" FROM "App" WHERE "id" = ? AND "organizationId" = ?`,
    [appId, organizationId],
  );
  if (!row) throw notFound("app");
  return { id: Number(row.id), name: row.name, publicKey: row.publicKey };
}

export type MerchantFilters = { plan?: string; status?: "active" | "churned"; field?: { key: string; value: string }; q?: string };

export type MerchantRow = {
  contactId: number;
  shop: string | null;
  name: string | null;
  email: string | null;
  plan: string | null;
  active: boolean | null;
  installDate: string | null;
  lastEvent: { name: string; at: string } | null;
};

// Only for the fixed column keys below (never user input): a correlated lookup of one value.
const customValue = (key: "plan" | "active" | "install_date") =>
  `(SELECT v."value" FROM "CustomDataValue" v WHERE v."appContactId" = ac."id" AND v."key" = '${key}')`;

/** One page of merchants, newest first, with the total the filters match. */
export async function listMerchants(appId: number, filters: MerchantFilters, page: { page: number; perPage: number }) {
  const where = [`ac."appId" = ?`];
  const params: SqlValue[] = [appId];
  const byValue = (key: string, value: string) => {
    where.push(`ac."id" IN (SELECT "appContactId" FROM "CustomDataValue" WHERE "appId" = ? AND "key" = ? AND "value" = ?)`);
    params.push(appId, key, value);
  };
  if (filters.plan) byValue("plan", filters.plan);
  if (filters.status) byValue("active", filters.status === "active" ? "true" : "false");
  if (filters.field) byValue(filters.field.key, filters.field.value);
  if (filters.q) where.push(sql.contactTextMatch(filters.q, params));
  const from = `FROM "AppContact" ac JOIN "Contact" c ON c."id" = ac."contactId" WHERE ${where.join(" AND ")}`;
  // Counting needs the contact only when searching its fields; otherwise the index suffices.
  const countFrom = filters.q ? from : `FROM "AppContact" ac WHERE ${where.join(" AND ")}`;
  const [countRow, rows] = await Promise.all([
    sql.one<{ n: number }>(`SELECT COUNT(*) AS "n" ${countFrom}`, params),
    sql.all<Record<string, unknown>>(
      `SELECT c."id", c."externalId", c."name", c."email", ${customValue("plan")} AS "plan", ${customValue("active")} AS "active",
         ${customValue("install_date")} AS "installDate",
         (SELECT e."name" || '|' || e."occurredAt" FROM "ContactEvent" e WHERE e."appContactId" = ac."id" ORDER BY e."occurredAt" DESC, e."id" DESC LIMIT 1) AS "lastEvent"
       ${from} ORDER BY ac."id" DESC LIMIT ? OFFSET ?`,
      [...params, page.perPage, (page.page - 1) * page.perPage],
    ),
  ]);
  const merchants: MerchantRow[] = rows.map((row) => {
    const [eventName, eventAt] = row.lastEvent ? String(row.lastEvent).split("|") : [];
    return {
      contactId: Number(row.id),
      shop: (row.externalId as string | null) ?? null,
      name: (row.name as string | null) ?? null,
      email: (row.email as string | null) ?? null,
      plan: (row.plan as string | null) ?? null,
      active: row.active === null || row.active === undefined ? null : row.active === "true",
      installDate: (row.installDate as string | null) ?? null,
      lastEvent: eventName ? { name: eventName, at: toDate(eventAt).toISOString() } : null,
    };
  });
  return { merchants, total: Number(countRow?.n ?? 0) };
}

// The filter menus need not be exact to the second: computed at most every 30 s per app.
const CHOICES_MS = 30_000;
const choicesCache = new Map<number, { until: number; value: Promise<FilterChoices> }>();
type FilterChoices = { plans: { value: string; count: number }[]; keys: string[] };

/** Plans (with counts) and custom keys present in the app, for the filter menus. */
export function filterChoices(appId: number): Promise<FilterChoices> {
  const cached = choicesCache.get(appId);
  if (cached && cached.until > Date.now()) return cached.value;
  const value = computeFilterChoices(appId);
  if (choicesCache.size > 1000) choicesCache.clear();
  choicesCache.set(appId, { until: Date.now() + CHOICES_MS, value });
  value.catch(() => choicesCache.delete(appId));
  return value;
}

async function computeFilterChoices(appId: number): Promise<FilterChoices> {
  const [plans, keys] = await Promise.all([
    sql.all<{ value: string; n: number }>(
      `SELECT "value", COUNT(*) AS "n" FROM "CustomDataValue" WHERE "appId" = ? AND "key" = 'plan' GROUP BY "value" ORDER BY "value"`,
      [appId],
    ),
    sql.all<{ key: string }>(`SELECT DISTINCT "key" FROM "CustomDataValue" WHERE "appId" = ? ORDER BY "key" LIMIT 200`, [appId]),
  ]);
  return { plans: plans.map((p) => ({ value: p.value, count: Number(p.n) })), keys: keys.map((k) => k.key) };
}

const PROVENANCE = new Set<string>(PROVENANCE_KEYS);
const text = (value: unknown) => (typeof value === "string" && value ? value : null);

/** An event as the merchant page shows it: what happened, and apart from it where it came from. */
function timelineEntry(event: EventRow) {
  const p = event.properties;
  return {
    id: event.id,
    name: event.name,
    occurredAt: event.occurredAt.toISOString(),
    properties: Object.fromEntries(Object.entries(p).filter(([key]) => !PROVENANCE.has(key))),
    provenance: {
      source: text(p.source),
      webhookId: text(p.shopify_webhook_id),
      eventId: text(p.shopify_event_id),
      late: p.received_late === true,
      correctedAt: text(p.corrected_at),
      correction: text(p.correction),
    },
  };
}

export async function merchantDetail(appId: number, contactId: number) {
  const contact = await findContactInApp(appId, contactId);
  if (!contact) throw notFound("merchant");
  const [{ events }, reconciliation] = await Promise.all([
    listEvents(appId, contact.appContact.id, { page: 1, perPage: 100 }),
    contact.externalId ? findShopReconciliation(contact.externalId) : null,
  ]);
  const customData = Object.entries(contact.customData).sort(([a], [b]) => a.localeCompare(b));
  return {
    contact: {
      id: contact.id,
      shop: contact.externalId,
      email: contact.email,
      emailVerified: contact.emailTrusted,
      name: contact.name,
      company: contact.company,
      phone: contact.phone,
      verified: contact.appContact.verifiedAt !== null,
      shopifyDomain: contact.appContact.shopifyDomain,
      createdAt: contact.createdAt.toISOString(),
    },
    customData: customData.map(([key, value]) => ({ key, value: String(value), type: typeof value })),
    events: events.map(timelineEntry),
    // When Shopify last confirmed the merchant's state, and what the last correction found.
    shopify: reconciliation
      ? {
          confirmedAt: reconciliation.confirmedAt?.toISOString() ?? null,
          drift: reconciliation.drift ?? [],
          driftAt: reconciliation.driftAt?.toISOString() ?? null,
          outcome: reconciliation.outcome,
        }
      : null,
  };
}
