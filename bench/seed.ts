// Seeds a bench database directly with better-sqlite3 (fast, one transaction): an app with
// 100,000 contacts carrying 3 custom-data keys, and one contact with 10,000 events.
import Database from "better-sqlite3";

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
export const PLANS = ["free", "pro", "plus"] as const;

export function seedBench(
  file: string,
  app: { publicKey: string; identitySecret: string; apiKeyId: string; apiKeyHash: string },
  contacts = 100_000,
  timelineEvents = 10_000,
) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  const now = new Date();
  const t = iso(now);
  const seed = db.transaction(() => {
    const org = db.prepare(`INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?)`).run("Bench Org", t).lastInsertRowid;
    const appId = db
      .prepare(
        `INSERT INTO "App" ("organizationId", "name", "publicKey", "identitySecret", "requireIdentityVerification", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, 0, ?, ?)`,
      )
      .run(org, "Bench App", app.publicKey, app.identitySecret, t, t).lastInsertRowid;
    db.prepare(`INSERT INTO "ApiKey" ("id", "appId", "name", "secretHash", "scopes", "createdAt") VALUES (?, ?, 'bench', ?, ?, ?)`).run(
      app.apiKeyId,
      appId,
      app.apiKeyHash,
      "contacts:read contacts:write conversations:read conversations:write messages:read messages:write",
      t,
    );
    const contact = db.prepare(
      `INSERT INTO "Contact" ("organizationId", "externalId", "email", "name", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const appContact = db.prepare(
      `INSERT INTO "AppContact" ("appId", "contactId", "verifiedAt", "shopifyDomain", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const value = db.prepare(
      `INSERT INTO "CustomDataValue" ("appContactId", "appId", "key", "value", "type", "assertedAt") VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 1; i <= contacts; i++) {
      const shop = `shop-${i}.myshopify.com`;
      const contactId = contact.run(org, shop, `owner${i}@shop-${i}.example`, `Owner ${i}`, t, t).lastInsertRowid;
      const acId = appContact.run(appId, contactId, t, shop, t, t).lastInsertRowid;
      value.run(acId, appId, "plan", PLANS[i % 3], "string", t);
      value.run(acId, appId, "active", i % 7 === 0 ? "false" : "true", "boolean", t);
      value.run(acId, appId, "app_version", "2.4.1", "string", t);
    }
    const event = db.prepare(
      `INSERT INTO "ContactEvent" ("appId", "appContactId", "name", "occurredAt", "properties", "createdAt") VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < timelineEvents; i++) {
      event.run(appId, 1, i % 2 ? "plan_upgraded" : "charge_failed", iso(new Date(now.getTime() - i * 60_000)), `{"n":${i}}`, t);
    }
    return Number(appId);
  });
  const appId = seed();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.exec("ANALYZE");
  db.close();
  return { appId, timelineContactId: 1 };
}
