import { describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { ENGINE } from "../support/database";
import { createOperator, loginCookie } from "../support/console";
import { deliverWebhook } from "../support/shopify";
import { DEVELOPER_TOKEN, subscriptionUpdate } from "../support/merchants";
import { api } from "../support/convot";

let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}-${Date.now()}`;

/** The Shopify app's own Convot app (merchants) and an operator of its organization. */
async function developerOperator() {
  await request("/");
  const { findAppByPublicKey } = await import("../../app/apps/apps.server");
  const app = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
  const email = `${unique("dev")}@convot.example`;
  await createOperator(app.organizationId, email);
  return { app, cookie: await loginCookie(email) };
}

const get = (path: string, cookie: string) => request(path, { headers: { Cookie: cookie } });

describe("console merchants", () => {
  it("lists merchants with plan, status, install date and last event; filters by plan, status, custom field and text", async () => {
    const { app, cookie } = await developerOperator();
    const pro = `${unique("pro")}.myshopify.com`;
    const churned = `${unique("churned")}.myshopify.com`;
    await subscriptionUpdate(pro, { name: "Plus", status: "ACTIVE", updated_at: "2026-11-01T00:00:00Z" });
    await subscriptionUpdate(pro, {
      admin_graphql_api_id: "gid://shopify/AppSubscription/2",
      name: "Pro",
      status: "ACTIVE",
      updated_at: "2026-11-05T00:00:00Z",
    });
    await deliverWebhook("app/uninstalled", { shop: churned });

    const all = await (await get(`/console/apps/${app.id}`, cookie)).text();
    expect(all).toContain(pro);
    expect(all).toContain(churned);
    expect(all).toMatch(/Showing 1–\d+ of \d+/);

    const byPlan = await (await get(`/console/apps/${app.id}?plan=pro`, cookie)).text();
    expect(byPlan).toContain(pro);
    expect(byPlan).not.toContain(churned);
    expect(byPlan).toContain("trial_started"); // Pro's trial, never used: the last event

    const byStatus = await (await get(`/console/apps/${app.id}?status=churned`, cookie)).text();
    expect(byStatus).toContain(churned);
    expect(byStatus).not.toContain(pro);

    const byField = await (await get(`/console/apps/${app.id}?field=${encodeURIComponent("billing_status = active")}`, cookie)).text();
    expect(byField).toContain(pro);
    expect(byField).not.toContain(churned);

    const bySearch = await (await get(`/console/apps/${app.id}?q=${encodeURIComponent(churned.slice(0, 12).toUpperCase())}`, cookie)).text();
    expect(bySearch).toContain(churned);
    expect(bySearch).not.toContain(pro);

    const none = await (await get(`/console/apps/${app.id}?plan=enterprise`, cookie)).text();
    expect(none).toContain("No merchant matches these filters");
  });

  it("text search finds a merchant by part of its domain, email, name or company, and follows their changes", async () => {
    const { app, cookie } = await developerOperator();
    const tag = unique("zq").replace(/-/g, "");
    const shop = `${tag}-boutique.myshopify.com`;
    const other = `${unique("plain")}.myshopify.com`;
    const token = DEVELOPER_TOKEN();
    const created = await api("/api/v1/contacts", {
      token,
      body: { external_id: shop, email: `Owner.${tag}@Example.com`, name: `Zoë ${tag} Dupré`, company: `Ateliers ${tag} & Fils` },
    });
    expect(created.status).toBe(201);
    await api("/api/v1/contacts", { token, body: { external_id: other, name: "Someone Else" } });
    const search = async (q: string) => {
      const page = await get(`/console/apps/${app.id}?q=${encodeURIComponent(q)}`, cookie);
      expect(page.status).toBe(200);
      const html = await page.text();
      return { shop: html.includes(shop), other: html.includes(other), none: html.includes("No merchant matches these filters") };
    };
    // Any part of any of the four fields, whatever its case; never a match spanning two fields.
    for (const q of [`${tag}-bout`, `OWNER.${tag.toUpperCase()}@`, `zoË ${tag}`, `${tag} & fils`]) {
      expect(await search(q), q).toEqual({ shop: true, other: false, none: false });
    }
    expect(await search(`boutique.myshopify.comowner`)).toEqual({ shop: false, other: false, none: true });
    // Characters that mean something to LIKE or to a full-text query are searched for as they are.
    for (const q of [`${tag}%`, `"${tag}`, `${tag}_`, `${tag} OR x`, `*${tag}*`]) {
      expect(await search(q), q).toEqual({ shop: false, other: false, none: true });
    }
    // Fewer than 3 characters still search (without the index).
    expect(await search("zo")).toEqual({ shop: true, other: false, none: false });
    for (const q of ["%", "_", "\\"]) expect(await search(q), q).toEqual({ shop: false, other: false, none: true });
    // A NUL is dropped from the query, not sent to the database.
    expect(await search(`\u0000${tag}-bout\u0000`)).toEqual({ shop: true, other: false, none: false });

    // A renamed merchant is found by its new name only.
    await api("/api/v1/contacts", { token, body: { external_id: shop, name: `Renamed ${tag}x Ltd`, company: null } });
    expect(await search(`Renamed ${tag}x`)).toEqual({ shop: true, other: false, none: false });
    expect((await search(`Zoë ${tag}`)).shop).toBe(false);
    expect((await search(`Ateliers ${tag}`)).shop).toBe(false);

    // Erased through the API: it is no longer found at once, and on SQLite, whose index is a table
    // of its own, its trigrams (current and former name) leave the index's pages at the next upkeep.
    await api("/api/v1/contacts", { token, body: { external_id: shop, name: `Former ${tag} ꚙꚙꚙ` } });
    await api("/api/v1/contacts", { token, body: { external_id: shop, name: `Current ${tag} ꙮꙮꙮ` } });
    expect(await search("ꙮ")).toEqual({ shop: true, other: false, none: false });
    expect((await search("ꚙ")).shop).toBe(false);
    const { sql } = await db();
    const pagesHolding = async (text: string) =>
      (await sql.one<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "ContactSearch_data" WHERE instr("block", CAST(? AS BLOB)) > 0`, [text]))!.n;
    if (sql.engine === "sqlite") expect(await pagesHolding("ꙮꙮ")).toBeGreaterThan(0);
    expect((await api(`/api/v1/contacts/${created.body.id}`, { method: "DELETE", token })).status).toBeLessThan(300);
    expect((await search(`current ${tag}`)).none).toBe(true);
    if (sql.engine === "sqlite") {
      expect(await pagesHolding("ꙮꙮ")).toBeGreaterThan(0);
      expect(await pagesHolding("ꚙꚙ")).toBeGreaterThan(0);
      expect(await sql.compactContactSearch()).toBeGreaterThan(0);
      expect(await pagesHolding("ꙮꙮ")).toBe(0);
      expect(await pagesHolding("ꚙꚙ")).toBe(0);
      // FTS5's own check of the index against the contacts (it throws when they disagree).
      await sql.run(`INSERT INTO "ContactSearch" ("ContactSearch", rank) VALUES ('integrity-check', 1)`);
      // Nothing erased since: the next upkeep does nothing.
      expect(await sql.compactContactSearch()).toBe(0);
    } else {
      expect(await sql.compactContactSearch()).toBe(0);
    }
    expect(await search(`${tag}-bout`)).toEqual({ shop: false, other: false, none: true });
    expect((await search("Someone Else")).other).toBe(true);
  });

  it.runIf(ENGINE === "postgresql")("PostgreSQL's text search is answered from the trigram index", async () => {
    await request("/");
    const { sql } = await db();
    const { SEARCH_TEXT: PG_SEARCH_TEXT } = await import("../../app/db/postgres/contact-search");
    // The query's expression must be the index's, character for character, or PostgreSQL scans.
    const plan = await sql.transaction(async (tx) => {
      await tx.run(`SET LOCAL enable_seqscan = off`);
      return tx.all(`EXPLAIN SELECT c."id" FROM "Contact" c WHERE ${PG_SEARCH_TEXT} LIKE lower(?) ESCAPE '\\'`, ["%Shop-4242%"]);
    });
    expect(JSON.stringify(plan)).toContain("Contact_search_trgm_idx");
  });

  it("shows a merchant's identity, custom data and timeline newest first", async () => {
    const { app, cookie } = await developerOperator();
    const shop = `${unique("detail")}.myshopify.com`;
    await subscriptionUpdate(shop, { name: "Plus", status: "ACTIVE", updated_at: "2026-10-01T00:00:00Z" });
    await subscriptionUpdate(shop, { name: "Plus", status: "FROZEN", updated_at: "2026-10-20T00:00:00Z" });
    const list = await (await get(`/console/apps/${app.id}?q=${shop}`, cookie)).text();
    const href = new RegExp(`href="(/console/apps/${app.id}/merchants/\\d+)"`).exec(list)![1];
    const page = await (await get(href, cookie)).text();
    expect(page).toContain("Verified");
    // The identity terms sit in a narrow column: a term wraps between words, never inside one ("Compan/y").
    expect(page).toContain('<dt style="color:#616161;white-space:nowrap">Company</dt>');
    expect(page).toContain("billing_status");
    expect(page.indexOf("charge_failed")).toBeLessThan(page.indexOf("plan_upgraded"));
    expect(page).toContain("2026-10-20 00:00 UTC");
    expect(page).toContain(`https://admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`);
  });

  it("the timeline tells where each Shopify event came from: its webhook and event ids, a late arrival, a correction and why", async () => {
    const { app, cookie } = await developerOperator();
    const shop = `${unique("provenance")}.myshopify.com`;
    const plus = { admin_graphql_api_id: "gid://shopify/AppSubscription/2", name: "Plus", status: "ACTIVE", updated_at: "2026-10-10T00:00:00Z" };
    const pro = {
      admin_graphql_api_id: "gid://shopify/AppSubscription/1",
      name: "Pro",
      status: "ACTIVE",
      created_at: "2026-10-04T00:00:00Z",
      updated_at: "2026-10-04T00:00:00Z",
    };
    await subscriptionUpdate(shop, plus, { webhookId: "wh-plus-1", eventId: "ev-plus-1" });
    await subscriptionUpdate(shop, pro, { webhookId: "wh-pro-1", eventId: "ev-pro-1" }); // happened first, arrived last
    const { sql } = await db();
    const contact = await sql.one<{ id: number }>(`SELECT "id" FROM "Contact" WHERE "externalId" = ?`, [shop]);
    const page = await (await get(`/console/apps/${app.id}/merchants/${contact!.id}`, cookie)).text();
    const events = page.split('data-testid="timeline-event"').slice(1);
    const upgrade = events.find((e) => e.includes(">plan_upgraded<"))!;
    const trial = events.find((e) => e.includes(">trial_started<"))!;
    expect(trial).toContain("Arrived late");
    expect(trial).toContain("webhook wh-pro-1");
    expect(trial).toContain("event ev-pro-1");
    expect(upgrade).toContain("Corrected");
    expect(upgrade).toMatch(/was plan_upgraded free → plus \(\+49 USD\/month\)/);
    expect(upgrade).toContain("webhook wh-plus-1");
    expect(upgrade).not.toContain("Arrived late");
    expect(upgrade).toContain("from_plan: pro");
    expect(upgrade).not.toContain("shopify_webhook_id");
  });

  it("an operator of another organization gets 404 for this organization's app and merchants", async () => {
    const { app } = await developerOperator();
    const shop = `${unique("private")}.myshopify.com`;
    await deliverWebhook("app/uninstalled", { shop });
    const { createOrganization, createApp } = await import("../../app/apps/apps.server");
    const other = await createOrganization("Rival Org");
    await createApp({ organizationId: other.id, name: "Rival App" });
    const email = `${unique("rival")}@convot.example`;
    await createOperator(other.id, email);
    const cookie = await loginCookie(email);
    expect((await get(`/console/apps/${app.id}`, cookie)).status).toBe(404);
    const { sql } = await db();
    const contact = await sql.one<{ id: number }>(`SELECT "id" FROM "Contact" WHERE "externalId" = ?`, [shop]);
    const page = await get(`/console/apps/${app.id}/merchants/${contact!.id}`, cookie);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain(shop);
  });
});
