// Identity: how an identify call (widget) or a find-or-create (API) becomes a contact in an
// app — matching, what a verified or unverified call may write, the custom-data merge.
import { sql } from "../db.server";
import { isDeadlock, isUniqueViolation, type Sql, type Statement } from "../db/sql.server";
import type { ConvotApp } from "../apps/apps.server";
import {
  appContactUpdate,
  ensureAppContact,
  findAppContact,
  insertAppContact,
  lockAppContact,
  type AppContactChanges,
  type AppContactRow,
} from "./app-contacts.server";
import { applyCustomData, customDataWrites, readCustomData } from "./custom-data-values.server";
import { contactFieldsUpdate, findContactByEmail, findContactByExternalId, insertContact, type ContactRow } from "./contacts.server";
import { findContactInApp, findContactWithAppRecord, type ContactInApp, type ContactWithAppRecord } from "./contacts-in-app.server";
import { isEmptyPlan, planCustomData, type CustomDataPlan } from "./custom-data";
import { ConvotError, invalid, notFound, type ErrorDetail } from "../errors";
import { verifyHash } from "../apps/secrets";
import {
  checkContactFields,
  checkCustomData,
  checkShop,
  checkUnknownFields,
  isPlainObject,
  type ContactFields,
  type CustomDataPatch,
  type CustomValue,
} from "./validation";

const IDENTIFY_FIELDS = [
  "app_id",
  "email",
  "external_id",
  "name",
  "company",
  "phone",
  "avatar_url",
  "user_hash",
  "shop",
  "shop_hash",
  "custom_data",
] as const;
const CONTACT_FIELDS = ["email", "external_id", "name", "company", "phone", "avatar_url", "custom_data"] as const;

/**
 * The identifier user_hash signs, in the form the lookup matches: external_id trimmed when given,
 * else the email trimmed with A–Z lowercased (`normalizeEmail`). One normalisation for both, so
 * a hash of another spelling can never verify as the contact that spelling folds onto.
 */
function signedIdentifier(fields: ContactFields): string {
  return fields.externalId ?? fields.email!;
}

function requireIdentifier(fields: ContactFields, problems: ErrorDetail[]) {
  if (!fields.externalId && !fields.email) {
    problems.push({ field: "external_id", message: "or email is required to identify a contact" });
  }
}

export type IdentifyResult = { contactId: number; verified: boolean; shopVerified: boolean };

/**
 * The widget's identify call. Verified (a valid user_hash) writes every field it sends;
 * unverified only fills blanks, and is refused when the app requires verification.
 */
export async function identify(
  app: ConvotApp,
  body: Record<string, unknown>,
  options: { protectedKeys?: readonly string[] } = {},
): Promise<IdentifyResult> {
  const problems: ErrorDetail[] = [];
  checkUnknownFields(body, IDENTIFY_FIELDS, problems);
  const fields = checkContactFields(body, problems);
  requireIdentifier(fields, problems);
  const customData = body.custom_data === undefined ? {} : checkCustomData(body.custom_data, problems);
  const shop = checkShop(body.shop, problems);
  for (const field of ["user_hash", "shop_hash"] as const) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== "string") {
      problems.push({ field, message: "must be a string (lowercase hex HMAC-SHA256)" });
    }
  }
  if (problems.length) throw invalid(problems);

  const identifier = signedIdentifier(fields);
  const verified = verifyHash(app.identitySecret, identifier, body.user_hash);
  if (app.requireIdentityVerification && !verified) {
    throw new ConvotError(
      "identity_verification_required",
      body.user_hash
        ? "user_hash does not match: sign external_id (or email) with this app's identity secret"
        : "this app requires identity verification: send user_hash, the HMAC-SHA256 of external_id (or email)",
    );
  }
  // A signed shop is trusted only inside a verified identify: shop_hash alone proves only that
  // someone saw that shop's hash, not who is calling.
  const shopVerified = verified && Boolean(shop) && verifyHash(app.identitySecret, shop!, body.shop_hash);

  const { contact } = await upsertContact(app, fields, customData, {
    trusted: verified,
    // user_hash signed the external_id, not the email that came with it: a new external_id
    // must not take over whoever holds that email, and that email must not later bring an
    // email match to this external_id's contact (docs/decisions/007).
    matchEmail: !(verified && fields.externalId),
    emailTrusted: verified && !fields.externalId,
    shopifyDomain: shopVerified ? shop : undefined,
    protectedKeys: options.protectedKeys,
  });
  return { contactId: contact.id, verified, shopVerified };
}

/** The API's find-or-create: an API key is trusted like a verified identify. */
export async function findOrCreateContact(app: ConvotApp, body: Record<string, unknown>): Promise<{ contact: ContactInApp; created: boolean }> {
  const problems: ErrorDetail[] = [];
  checkUnknownFields(body, CONTACT_FIELDS, problems);
  const fields = checkContactFields(body, problems);
  requireIdentifier(fields, problems);
  const customData = body.custom_data === undefined ? {} : checkCustomData(body.custom_data, problems);
  if (problems.length) throw invalid(problems);
  const { contact, created } = await upsertContact(app, fields, customData, { trusted: true });
  const inApp = await findContactInApp(app.id, contact.id);
  if (!inApp) throw notFound("contact"); // erased since the write committed
  return { contact: inApp, created };
}

/** PATCH (merge) or PUT (replace) of a contact's custom data in this app, through the API. */
export async function writeCustomData(
  app: ConvotApp,
  contactId: number,
  body: Record<string, unknown>,
  mode: "merge" | "replace",
): Promise<ContactInApp> {
  const problems: ErrorDetail[] = [];
  checkUnknownFields(body, ["custom_data"], problems);
  if (body.custom_data === undefined) problems.push({ field: "custom_data", message: 'is required: send {"custom_data": {…}}' });
  const patch = body.custom_data === undefined ? {} : checkCustomData(body.custom_data, problems);
  if (problems.length) throw invalid(problems);

  await sql.transaction(async (tx) => {
    const appContact = await findAppContact(tx, app.id, contactId);
    if (!appContact) throw notFound("contact");
    await lockAppContact(tx, appContact.id);
    const stored = await readCustomData(tx, appContact.id);
    const plan = planCustomData(stored, patch, mode === "merge" ? "trusted" : "replace");
    await applyCustomData(tx, app.id, appContact.id, plan, { assertedAt: new Date() });
  });
  // Erased since the write committed: as if the write had come a moment later.
  const contact = await findContactInApp(app.id, contactId);
  if (!contact) throw notFound("contact");
  return contact;
}

/** `assertedAt`: when the facts were true at their source (webhooks); default now. */
type UpsertOptions = {
  trusted: boolean;
  /** Fall back to matching by email when no contact has the external_id (default true). */
  matchEmail?: boolean;
  /** Whether the caller vouches for the email it writes (default: `trusted`). */
  emailTrusted?: boolean;
  shopifyDomain?: string;
  db?: Sql;
  assertedAt?: Date;
  /** Keys another source owns (webhooks): this write may only fill them when blank. */
  protectedKeys?: readonly string[];
  /** A system write (webhooks): not refused for the per-contact key limit. */
  system?: boolean;
};

/**
 * Matches or creates the contact and applies fields and custom data in one transaction.
 * Matching: external_id, then email (never onto a contact holding another external_id; not at
 * all when `matchEmail` is false), else new.
 * Two first identifies of one person at once: the loser of the unique insert retries and matches.
 */
export async function upsertContact(
  app: ConvotApp,
  fields: ContactFields,
  customData: CustomDataPatch,
  options: UpsertOptions,
): Promise<{ contact: ContactRow; appContact: AppContactRow; created: boolean }> {
  // Most identifies (every page load sends one) meet a contact the app knows and change nothing,
  // or only values it holds already: done with one read and at most one atomic write.
  if (!options.db && options.assertedAt === undefined) {
    const done = await withoutTransaction(app, fields, customData, options).catch(() => null);
    if (done) return done;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await (options.db ?? sql).transaction((tx) => upsertIn(tx, app, fields, customData, options));
    } catch (error) {
      // A unique insert lost to a concurrent one matches on the next try; a deadlock the database broke is retried whole.
      if (attempt >= 3 || !(isUniqueViolation(error) || isDeadlock(error))) throw error;
    }
  }
}

/** The matching rule: external_id, then email (never onto a contact holding another external_id; not at all when `matchEmail` is false). */
async function matchContact(
  db: Sql,
  app: ConvotApp,
  fields: ContactFields,
  options: UpsertOptions,
  read: { customData: boolean },
): Promise<ContactWithAppRecord | null> {
  const byId = fields.externalId ? await findContactWithAppRecord(db, app, { externalId: fields.externalId }, read) : null;
  if (byId || !fields.email || options.matchEmail === false) return byId;
  return findContactWithAppRecord(db, app, { email: fields.email, withoutExternalId: Boolean(fields.externalId) }, read);
}

/** What an identify writes to a contact it matched, planned from what it read. */
type IdentifyWrite = {
  contactChanges: ContactFields;
  emailTrusted: boolean;
  /** The keys this call owns (all but `protectedKeys`), merged by its trust. */
  owned: CustomDataPlan;
  /** The protected keys, filled only where blank. */
  fills: CustomDataPlan;
  appContactChanges: AppContactChanges;
};

function planIdentifyWrite(
  found: { contact: ContactRow; appContact: AppContactRow; customData: Record<string, CustomValue> },
  fields: ContactFields,
  customData: CustomDataPatch,
  options: UpsertOptions,
  created: boolean,
): IdentifyWrite {
  const { contact, appContact, customData: stored } = found;
  const emailTrusted = options.emailTrusted ?? options.trusted;
  const contactChanges = created ? {} : fieldChanges(contact, fields, options.trusted);
  // A writer that vouches for the email the contact already has vouches for it from now on.
  if (!created && emailTrusted && contactChanges.email === undefined && fields.email && fields.email === contact.email && !contact.emailTrusted) {
    contactChanges.email = fields.email;
  }
  const isProtected = (key: string) => options.protectedKeys?.includes(key) ?? false;
  const owned = Object.fromEntries(Object.entries(customData).filter(([key]) => !isProtected(key)));
  const guarded = Object.fromEntries(Object.entries(customData).filter(([key]) => isProtected(key)));
  const limit = { enforceLimit: !options.system };
  const ownedPlan = planCustomData(stored, owned, options.trusted ? "trusted" : "untrusted", options.assertedAt !== undefined, limit);
  const fills = Object.keys(guarded).length
    ? planCustomData({ ...stored, ...ownedPlan.set }, guarded, "untrusted", false, limit)
    : { set: {}, remove: [] };
  return {
    contactChanges,
    emailTrusted,
    owned: ownedPlan,
    fills,
    appContactChanges: {
      verifiedAt: options.trusted && !appContact.verifiedAt ? new Date() : undefined,
      shopifyDomain: options.shopifyDomain && options.shopifyDomain !== appContact.shopifyDomain ? options.shopifyDomain : undefined,
      touched: !isEmptyPlan(ownedPlan) || !isEmptyPlan(fills),
    },
  };
}

/**
 * The write as statements, in order: the app record, the contact's fields, its custom data.
 * Every writer of these rows takes them in this order (the app record first: the transactional
 * path locks it before reading the custom data), so two writers never wait on each other in a circle.
 * `existingOnly`: for a plan made outside the transaction that applies it (see CustomDataWriteOptions).
 */
function identifyStatements(
  app: ConvotApp,
  contactId: number,
  appContactId: number,
  write: IdentifyWrite,
  options: UpsertOptions,
  existingOnly: boolean,
): Statement[] {
  const assertedAt = options.assertedAt ?? new Date();
  return [
    appContactUpdate(appContactId, write.appContactChanges),
    contactFieldsUpdate(contactId, write.contactChanges, write.emailTrusted, !options.trusted),
    ...customDataWrites(app.id, appContactId, write.owned, { assertedAt, fillOnly: !options.trusted, existingOnly }),
    ...customDataWrites(app.id, appContactId, write.fills, { assertedAt, fillOnly: true, existingOnly }),
  ].filter((statement): statement is Statement => statement !== null);
}

/**
 * Clearing a contact's external_id (or changing the email of one that has none) onto an email
 * another contact without an external_id holds would make two of them (ADR 017).
 */
function clashingEmail(error: unknown, changes: ContactFields): unknown {
  if (!isUniqueViolation(error)) return error;
  return invalid([
    {
      field: changes.externalId === null ? "external_id" : "email",
      message: "would give this contact the email of another contact that has no external_id",
    },
  ]);
}

/**
 * The identify as one read and at most one atomic write, with no transaction held across round
 * trips; null when it needs one: a new contact or app record, a key the contact does not hold
 * yet (the per-contact limit is checked under the record's lock), or an untrusted fill of a
 * contact's blank fields (which must not overwrite what a concurrent write just filled).
 * What it plans from may change before it writes: its trusted values are last-writer-wins
 * whatever the path, and a key deleted meanwhile stays deleted (existingOnly).
 */
async function withoutTransaction(app: ConvotApp, fields: ContactFields, customData: CustomDataPatch, options: UpsertOptions) {
  const found = await matchContact(sql, app, fields, options, { customData: true });
  if (!found?.appContact) return null;
  const { contact, appContact } = found;
  const write = planIdentifyWrite({ contact, appContact, customData: found.customData }, fields, customData, options, false);
  const addsKeys = [...Object.keys(write.owned.set), ...Object.keys(write.fills.set)].some((key) => !Object.hasOwn(found.customData, key));
  const changesFields = Object.keys(write.contactChanges).length > 0;
  if (addsKeys || (changesFields && !options.trusted)) return null;
  const statements = identifyStatements(app, contact.id, appContact.id, write, options, true);
  if (statements.length > 0) {
    try {
      await sql.atomically(statements);
    } catch (error) {
      throw clashingEmail(error, write.contactChanges);
    }
  }
  return { contact: applied(contact, write), appContact, created: false };
}

/** The contact as the write leaves it. */
function applied(contact: ContactRow, write: IdentifyWrite): ContactRow {
  const changes = write.contactChanges;
  return { ...contact, ...changes, ...(changes.email !== undefined ? { emailTrusted: write.emailTrusted } : {}) };
}

async function upsertIn(tx: Sql, app: ConvotApp, fields: ContactFields, customData: CustomDataPatch, options: UpsertOptions) {
  const org = app.organizationId;
  // Its custom data is read below, under the record's lock.
  const found = await matchContact(tx, app, fields, options, { customData: false });
  let contact = found?.contact ?? null;

  const emailTrusted = options.emailTrusted ?? options.trusted;
  let created = false;
  if (!contact) {
    contact = await insertContact(tx, org, fields, emailTrusted);
    created = contact !== null;
    // Lost a race for this external_id (or, without one, this email): the winner's contact is the one to update.
    contact ??= fields.externalId
      ? await findContactByExternalId(tx, org, fields.externalId)
      : await findContactByEmail(tx, org, fields.email!, true);
    if (!contact) throw new Error("contact vanished between insert and lookup");
  }
  // A new contact has no record in any app yet: no need to look for one.
  const appContact = created
    ? await insertAppContact(tx, app.id, contact.id)
    : (found?.appContact ?? (await ensureAppContact(tx, app.id, contact.id)));
  let stored: Record<string, CustomValue> = {};
  if (Object.keys(customData).length) {
    await lockAppContact(tx, appContact.id);
    stored = await readCustomData(tx, appContact.id);
  }
  const write = planIdentifyWrite({ contact, appContact, customData: stored }, fields, customData, options, created);
  for (const { text, params } of identifyStatements(app, contact.id, appContact.id, write, options, false)) {
    try {
      await tx.run(text, params);
    } catch (error) {
      throw clashingEmail(error, write.contactChanges);
    }
  }
  return { contact: applied(contact, write), appContact, created };
}

/**
 * What a call may change on a contact it matched. Trusted: every field it sent that differs.
 * Untrusted: only blanks — and never external_id, which would let a visitor who knows an
 * email claim that contact for their own id.
 */
function fieldChanges(contact: ContactRow, fields: ContactFields, trusted: boolean): ContactFields {
  const changes: ContactFields = {};
  for (const key of Object.keys(fields) as (keyof ContactFields)[]) {
    const value = fields[key];
    if (value === undefined || contact[key] === value) continue;
    if (trusted) changes[key] = value;
    else if (key !== "externalId" && value !== null && contact[key] === null) changes[key] = value;
  }
  return changes;
}

export function bodyObject(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw new ConvotError("bad_request", "the request body must be a JSON object");
  return body;
}
