// Identify's matching rule, called directly (upsertContact in app/contacts/identify.server.ts, the
// use case that applies matchContact): external_id first; else email, but never onto a contact
// that holds another external_id, nor onto one whose email nobody vouched for while it has an
// external_id (ADR 007); not by email at all when the caller says so; else a new contact.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp, createOrganization, type ConvotApp } from "../../app/apps/apps.server";
import { upsertContact } from "../../app/contacts/identify.server";
import type { ContactFields } from "../../app/contacts/validation";

async function newApp(): Promise<ConvotApp> {
  const organization = await createOrganization("Matching spec");
  return createApp({ organizationId: organization.id, name: "Matching spec" });
}

/** The contact a trusted write (an API key, a verified identify) lands on. */
const upsert = async (app: ConvotApp, fields: ContactFields, options: { trusted?: boolean; matchEmail?: boolean; emailTrusted?: boolean } = {}) =>
  (await upsertContact(app, fields, {}, { trusted: options.trusted ?? true, matchEmail: options.matchEmail, emailTrusted: options.emailTrusted }))
    .contact.id;

describe("identify's matching rule", () => {
  it("finds a contact by external_id first, whatever email comes beside it", async () => {
    const app = await newApp();
    const ada = await upsert(app, { externalId: "ada", email: "ada@example.com" });
    const bob = await upsert(app, { email: "bob@example.com" });
    expect(await upsert(app, { externalId: "ada", email: "bob@example.com" }, { matchEmail: true })).toBe(ada);
    expect(bob).not.toBe(ada);
  });

  it("falls back to the email when no contact holds the external_id, and only onto a contact without one", async () => {
    const app = await newApp();
    const emailOnly = await upsert(app, { email: "cy@example.com" });
    expect(await upsert(app, { externalId: "cy", email: "cy@example.com" })).toBe(emailOnly);

    const held = await upsert(app, { externalId: "dee", email: "dee@example.com" });
    const other = await upsert(app, { externalId: "dee-2", email: "dee@example.com" });
    expect(other).not.toBe(held);
  });

  it("an email-only call finds the contact that holds that email with an external_id only when the email was vouched for", async () => {
    const app = await newApp();
    const vouched = await upsert(app, { externalId: "eve", email: "eve@example.com" }, { emailTrusted: true });
    expect(await upsert(app, { email: "eve@example.com" })).toBe(vouched);

    // A signed external_id with an email beside it: the hash signed the id, not the email.
    const unvouched = await upsert(app, { externalId: "fay", email: "fay@example.com" }, { emailTrusted: false });
    expect(await upsert(app, { email: "fay@example.com" }, { trusted: false })).not.toBe(unvouched);
  });

  it("does not match by email at all when told not to (a verified identify with a new external_id)", async () => {
    const app = await newApp();
    const emailOnly = await upsert(app, { email: "gus@example.com" });
    expect(await upsert(app, { externalId: "gus", email: "gus@example.com" }, { matchEmail: false })).not.toBe(emailOnly);
  });

  it("over generated histories, a call with an external_id always lands on the contact holding it", async () => {
    const call = fc.record({
      externalId: fc.option(fc.constantFrom("u1", "u2", "u3"), { nil: undefined }),
      email: fc.option(fc.constantFrom("a@example.com", "b@example.com"), { nil: undefined }),
      matchEmail: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 6 }), async (calls) => {
        const app = await newApp();
        const holder = new Map<string, number>();
        for (const c of calls) {
          if (!c.externalId && !c.email) continue;
          const id = await upsert(app, { externalId: c.externalId, email: c.email }, { matchEmail: c.matchEmail });
          if (c.externalId) {
            if (holder.has(c.externalId)) expect(id).toBe(holder.get(c.externalId));
            holder.set(c.externalId, id);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
