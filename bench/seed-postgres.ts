// Seeds a PostgreSQL bench database with what bench/seed.ts puts in SQLite: an app with N contacts
// carrying 3 custom-data keys, and contact 1 with 10,000 events. Set-based SQL: seconds, not minutes.
import pg from "pg";
import { PLANS } from "./seed";

export async function seedBenchPostgres(
  url: string,
  app: { publicKey: string; identitySecret: string; apiKeyId: string; apiKeyHash: string },
  contacts = 100_000,
  timelineEvents = 10_000,
) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const now = `(now() AT TIME ZONE 'UTC')`;
    await client.query("BEGIN");
    const org = (await client.query(`INSERT INTO "Organization" ("name", "createdAt") VALUES ('Bench Org', ${now}) RETURNING "id"`)).rows[0].id;
    const appId = (
      await client.query(
        `INSERT INTO "App" ("organizationId", "name", "publicKey", "identitySecret", "requireIdentityVerification", "createdAt", "updatedAt")
         VALUES ($1, 'Bench App', $2, $3, false, ${now}, ${now}) RETURNING "id"`,
        [org, app.publicKey, app.identitySecret],
      )
    ).rows[0].id;
    await client.query(`INSERT INTO "ApiKey" ("id", "appId", "name", "secretHash", "scopes", "createdAt") VALUES ($1, $2, 'bench', $3, $4, ${now})`, [
      app.apiKeyId,
      appId,
      app.apiKeyHash,
      "contacts:read contacts:write conversations:read conversations:write messages:read messages:write",
    ]);
    await client.query(
      `INSERT INTO "Contact" ("organizationId", "externalId", "email", "name", "createdAt", "updatedAt")
       SELECT $1, 'shop-' || i || '.myshopify.com', 'owner' || i || '@shop-' || i || '.example', 'Owner ' || i, ${now}, ${now}
       FROM generate_series(1, $2::int) AS i ORDER BY i`,
      [org, contacts],
    );
    await client.query(
      `INSERT INTO "AppContact" ("appId", "contactId", "verifiedAt", "shopifyDomain", "createdAt", "updatedAt")
       SELECT $1, c."id", ${now}, c."externalId", ${now}, ${now} FROM "Contact" c WHERE c."organizationId" = $2 ORDER BY c."id"`,
      [appId, org],
    );
    await client.query(
      `INSERT INTO "CustomDataValue" ("appContactId", "appId", "key", "value", "type", "assertedAt")
       SELECT ac."id", $1, k.key, CASE k.key WHEN 'plan' THEN ($2::text[])[ac."contactId" % 3 + 1]
                                               WHEN 'active' THEN CASE WHEN ac."contactId" % 7 = 0 THEN 'false' ELSE 'true' END
                                               ELSE '2.4.1' END,
              CASE k.key WHEN 'active' THEN 'boolean' ELSE 'string' END, ${now}
       FROM "AppContact" ac CROSS JOIN (VALUES ('plan'), ('active'), ('app_version')) AS k(key) WHERE ac."appId" = $1`,
      [appId, [...PLANS]],
    );
    const timelineAc = (
      await client.query(
        `SELECT ac."id" FROM "AppContact" ac JOIN "Contact" c ON c."id" = ac."contactId" WHERE c."externalId" = 'shop-1.myshopify.com'`,
      )
    ).rows[0].id;
    await client.query(
      `INSERT INTO "ContactEvent" ("appId", "appContactId", "name", "occurredAt", "properties", "createdAt")
       SELECT $1, $2, CASE WHEN i % 2 = 1 THEN 'plan_upgraded' ELSE 'charge_failed' END, ${now} - (i * interval '1 minute'), '{"n":' || i || '}', ${now}
       FROM generate_series(0, $3::int - 1) AS i`,
      [appId, timelineAc, timelineEvents],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
    return { appId: Number(appId), timelineContactId: 1 };
  } finally {
    await client.end();
  }
}
