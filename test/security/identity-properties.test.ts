// The identity rules over generated sequences of identify calls (verified, unverified, email-only,
// id-only, both, mixed case, repeats), on this engine: an unverified call never changes a value a
// verified call wrote, and no two contacts of an organization hold the same external_id or the
// same vouched email — whether the calls arrive one by one or all at once.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "../support/app";
import { api, createTestApp, userHash, type TestApp } from "../support/convot";

type Call = {
  externalId: string | null;
  email: string | null;
  verified: boolean;
  name: string | null;
  customData: Record<string, string | number>;
};

const spellings = (email: string) => fc.constantFrom(email, email.toUpperCase(), email[0].toUpperCase() + email.slice(1), ` ${email} `);
const callArb: fc.Arbitrary<Call> = fc
  .record({
    externalId: fc.option(fc.constantFrom("u-1", "u-2", "u-3"), { nil: null }),
    email: fc.option(fc.oneof(spellings("ann@example.com"), spellings("bob@example.com")), { nil: null }),
    verified: fc.boolean(),
    name: fc.option(fc.constantFrom("Ann", "Bob", "Mallory"), { nil: null }),
    customData: fc.dictionary(
      fc.constantFrom("plan", "seats", "role"),
      fc.oneof(fc.constantFrom("free", "pro", "admin"), fc.integer({ min: 1, max: 9 })),
      { maxKeys: 2 },
    ),
  })
  .filter((call) => call.externalId !== null || call.email !== null);

/** What the widget sends; a verified call's hash signs the identifier as the README says to. */
function identifyBody(app: TestApp, call: Call): Record<string, unknown> {
  const body: Record<string, unknown> = { app_id: app.publicKey };
  if (call.externalId) body.external_id = call.externalId;
  if (call.email) body.email = call.email;
  if (call.name) body.name = call.name;
  if (Object.keys(call.customData).length) body.custom_data = call.customData;
  if (call.verified) {
    const identifier = call.externalId ?? call.email!.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
    body.user_hash = userHash(app.identitySecret, identifier);
  }
  return body;
}

/** No two contacts of the organization share an external_id or a vouched email. */
async function expectNoTwins(organizationId: number) {
  const { sql } = await db();
  const twinIds = await sql.all(
    `SELECT "externalId" FROM "Contact" WHERE "organizationId" = ? AND "externalId" IS NOT NULL GROUP BY "externalId" HAVING COUNT(*) > 1`,
    [organizationId],
  );
  expect(twinIds, "two contacts hold one external_id").toEqual([]);
  const twinEmails = await sql.all(
    `SELECT "email" FROM "Contact" WHERE "organizationId" = ? AND "email" IS NOT NULL AND "emailTrusted" = ? GROUP BY "email" HAVING COUNT(*) > 1`,
    [organizationId, true],
  );
  expect(twinEmails, "two contacts hold one vouched email").toEqual([]);
}

describe("identity rules over generated identify sequences", () => {
  it("an unverified call never changes what a verified call wrote; no twins", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(callArb, { minLength: 1, maxLength: 14 }), async (calls) => {
        runs++;
        const app = await createTestApp();
        // Per contact, the values the latest verified call wrote on it.
        const vouched = new Map<number, { name?: string; customData: Record<string, string | number> }>();
        for (const call of calls) {
          const answer = await api("/api/v1/identify", { body: identifyBody(app, call) });
          expect(answer.status, JSON.stringify(answer.body)).toBe(200);
          expect(answer.body.verified).toBe(call.verified);
          const id = answer.body.contact_id as number;
          if (call.verified) {
            const record = vouched.get(id) ?? { customData: {} };
            if (call.name) record.name = call.name;
            Object.assign(record.customData, call.customData);
            vouched.set(id, record);
          } else {
            for (const [contactId, record] of vouched) {
              const contact = (await api(`/api/v1/contacts/${contactId}`, { token: app.token })).body;
              if (record.name !== undefined) expect(contact.name, `contact ${contactId}'s name`).toBe(record.name);
              for (const [key, value] of Object.entries(record.customData))
                expect(contact.custom_data[key], `contact ${contactId}'s ${key}`).toBe(value);
            }
          }
        }
        await expectNoTwins(app.organizationId);
      }),
      { numRuns: 40 },
    );
    expect(runs).toBeGreaterThanOrEqual(40);
  });

  it("the same calls fired all at once leave no twins", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(callArb, { minLength: 2, maxLength: 30 }), async (calls) => {
        const app = await createTestApp();
        const answers = await Promise.all(calls.map((call) => api("/api/v1/identify", { body: identifyBody(app, call) })));
        for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        await expectNoTwins(app.organizationId);
        // One person, one contact: every verified call for one identifier landed on the same contact.
        const byIdentifier = new Map<string, Set<number>>();
        calls.forEach((call, i) => {
          if (!call.verified) return;
          const key = call.externalId ? `id:${call.externalId}` : `email:${call.email!.trim().toLowerCase()}`;
          byIdentifier.set(key, (byIdentifier.get(key) ?? new Set()).add(answers[i].body.contact_id));
        });
        for (const [key, ids] of byIdentifier) expect(ids.size, key).toBe(1);
      }),
      { numRuns: 25 },
    );
  });
});
