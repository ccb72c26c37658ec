import { describe, expect, it } from "vitest";
import { db } from "../support/app";
import { api } from "../support/convot";
import { DEVELOPER_TOKEN, merchant, subscriptionUpdate, timeline } from "../support/merchants";

let n = 0;
const newShop = () => `billing-${++n}-${Date.now()}.myshopify.com`;
const at = (day: number, hour = 12) => `2026-11-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00-05:00`;
const sub = (id: number, name: string, status: string, day: number, hour = 12) => ({
  admin_graphql_api_id: `gid://shopify/AppSubscription/${id}`,
  name,
  status,
  created_at: at(day, hour),
  updated_at: at(day, hour),
});

describe("app_subscriptions/update → billing events", () => {
  it("a first ACTIVE plan with a trial starts the trial (merchant created on the fly)", async () => {
    const shop = newShop();
    const res = await subscriptionUpdate(shop, sub(1, "Pro", "ACTIVE", 2));
    expect(res.status).toBe(200);
    const [event] = await timeline(shop);
    expect(event).toMatchObject({
      name: "trial_started",
      occurred_at: "2026-11-02T17:00:00.000Z",
      properties: { plan: "pro", trial_days: 14, trial_ends_at: "2026-11-16T17:00:00.000Z", shopify_webhook_id: expect.any(String) },
    });
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "pro", trial_ends_at: "2026-11-16T17:00:00.000Z" });
  });

  it("higher price is plan_upgraded, lower is plan_downgraded, with monthly USD deltas", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(1, "Plus", "ACTIVE", 1));
    await subscriptionUpdate(shop, sub(2, "Pro", "ACTIVE", 3)); // Pro's trial, never used: trial_started wins
    await subscriptionUpdate(shop, sub(1, "Plus", "CANCELLED", 3, 13)); // the old subscription: not a cancellation
    await subscriptionUpdate(shop, sub(3, "Plus", "ACTIVE", 5));
    await subscriptionUpdate(shop, sub(4, "Pro", "ACTIVE", 8));
    const events = await timeline(shop);
    expect(
      events.map((e) => [e.name, e.properties.from_plan ?? null, e.properties.to_plan ?? e.properties.plan, e.properties.mrr_delta ?? null]),
    ).toEqual([
      ["plan_downgraded", "plus", "pro", -30],
      ["plan_upgraded", "pro", "plus", 30],
      ["trial_started", null, "pro", null],
      ["plan_upgraded", "free", "plus", 49],
    ]);
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "pro", mrr_usd: 19 });
  });

  it("a trial already used is not started again: Pro after cancelling is an upgrade", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(1, "Pro", "ACTIVE", 1));
    await subscriptionUpdate(shop, sub(1, "Pro", "CANCELLED", 4));
    await subscriptionUpdate(shop, sub(2, "Pro", "ACTIVE", 6));
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["plan_upgraded", "plan_cancelled", "trial_started"]);
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "pro", mrr_usd: 19 });
  });

  it("FROZEN is charge_failed; ACTIVE again is charge_recovered", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(1, "Plus", "ACTIVE", 1));
    await subscriptionUpdate(shop, sub(1, "Plus", "FROZEN", 5));
    expect((await merchant(shop))!.custom_data.billing_status).toBe("frozen");
    await subscriptionUpdate(shop, sub(1, "Plus", "ACTIVE", 7));
    const events = await timeline(shop);
    expect(events.map((e) => [e.name, e.properties.plan ?? e.properties.to_plan])).toEqual([
      ["charge_recovered", "plus"],
      ["charge_failed", "plus"],
      ["plan_upgraded", "plus"],
    ]);
    expect((await merchant(shop))!.custom_data.billing_status).toBe("active");
  });

  it("the app's own events between billing changes (newer, older, same names elsewhere) do not blur the merchant's plan or billing state", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(1, "Plus", "ACTIVE", 1));
    await subscriptionUpdate(shop, sub(1, "Plus", "FROZEN", 4));
    const id = (await merchant(shop))!.id;
    for (let i = 0; i < 60; i++) {
      const occurred_at = new Date(Date.UTC(2026, 10, 1 + (i % 9), i % 24)).toISOString(); // days 1-9, around the updates
      const res = await api(`/api/v1/contacts/${id}/events`, {
        token: DEVELOPER_TOKEN(),
        method: "POST",
        body: { name: i % 2 ? "feature_used" : "report_exported", occurred_at },
      });
      expect(res.status).toBe(201);
    }
    await subscriptionUpdate(shop, sub(1, "Plus", "ACTIVE", 6)); // after FROZEN: recovered, not an upgrade
    await subscriptionUpdate(shop, sub(2, "Pro", "ACTIVE", 8)); // Pro's trial is unused: trial_started
    await subscriptionUpdate(shop, sub(1, "Plus", "CANCELLED", 8, 13)); // the old Plus: not a cancellation
    const billing = (await timeline(shop)).filter((e) => !["feature_used", "report_exported"].includes(e.name));
    expect(billing.map((e) => e.name)).toEqual(["trial_started", "charge_recovered", "charge_failed", "plan_upgraded"]);
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "pro", billing_status: "active" });
  });

  it("CANCELLED with no other active subscription is plan_cancelled (plan=free, mrr 0)", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(1, "Plus", "ACTIVE", 1));
    await subscriptionUpdate(shop, sub(1, "Plus", "CANCELLED", 9));
    expect((await timeline(shop))[0]).toMatchObject({ name: "plan_cancelled", properties: { plan: "plus" } });
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "free", mrr_usd: 0 });
  });

  it("DECLINED and EXPIRED are charge_declined and charge_expired; PENDING records nothing", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(1, "Plus", "PENDING", 1));
    await subscriptionUpdate(shop, sub(1, "Plus", "DECLINED", 2));
    await subscriptionUpdate(shop, sub(2, "Pro", "EXPIRED", 3));
    expect((await timeline(shop)).map((e) => [e.name, e.properties.plan])).toEqual([
      ["charge_expired", "pro"],
      ["charge_declined", "plus"],
    ]);
    expect((await merchant(shop))!.custom_data.plan).toBeUndefined();
  });

  it("never backwards: a late, older update lands at its own time and does not roll the plan back", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(2, "Plus", "ACTIVE", 10));
    await subscriptionUpdate(shop, sub(1, "Pro", "ACTIVE", 4)); // older, delivered late
    const events = await timeline(shop);
    expect(events.map((e) => [e.name, e.occurred_at])).toEqual([
      ["plan_upgraded", "2026-11-10T17:00:00.000Z"],
      ["trial_started", "2026-11-04T17:00:00.000Z"],
    ]);
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "plus", mrr_usd: 49 });
  });

  it("takes occurred_at from X-Shopify-Triggered-At when the payload has no time", async () => {
    const shop = newShop();
    const { created_at: _c, updated_at: _u, ...untimed } = sub(1, "Plus", "FROZEN", 1);
    await subscriptionUpdate(shop, { ...untimed, created_at: undefined, updated_at: undefined }, { triggeredAt: new Date("2026-11-20T08:30:00Z") });
    expect((await timeline(shop))[0]).toMatchObject({ name: "charge_failed", occurred_at: "2026-11-20T08:30:00.000Z" });
  });
});

describe("late deliveries land in their place (the billing fold)", () => {
  it("activated at 09:00 and cancelled at 12:00, delivered cancel-first: the same plan_cancelled, plan, mrr and billing_status as in order", async () => {
    const [inOrder, cancelFirst] = [newShop(), newShop()];
    await subscriptionUpdate(inOrder, sub(1, "Pro", "ACTIVE", 2, 9));
    await subscriptionUpdate(inOrder, sub(1, "Pro", "CANCELLED", 2, 12));
    await subscriptionUpdate(cancelFirst, sub(1, "Pro", "CANCELLED", 2, 12));
    await subscriptionUpdate(cancelFirst, sub(1, "Pro", "ACTIVE", 2, 9));
    for (const shop of [inOrder, cancelFirst]) {
      expect((await timeline(shop)).map((e) => [e.name, e.occurred_at])).toEqual([
        ["plan_cancelled", "2026-11-02T17:00:00.000Z"],
        ["trial_started", "2026-11-02T14:00:00.000Z"],
      ]);
      expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "free", mrr_usd: 0, billing_status: "cancelled" });
    }
  });

  it("a late delivery that changes how a later transition reads corrects that event in place: same id, marked corrected and why", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(2, "Plus", "ACTIVE", 10));
    const [before] = await timeline(shop);
    expect(before).toMatchObject({ name: "plan_upgraded", properties: { from_plan: "free", to_plan: "plus", mrr_delta: 49 } });
    await subscriptionUpdate(shop, sub(1, "Pro", "ACTIVE", 4)); // happened first, arrives last
    const [upgrade, trial] = await timeline(shop);
    expect(trial).toMatchObject({ name: "trial_started", properties: { plan: "pro", received_late: true, source: "webhook" } });
    expect(upgrade).toMatchObject({
      id: before.id,
      name: "plan_upgraded",
      properties: { from_plan: "pro", to_plan: "plus", mrr_delta: 30, corrected_at: expect.any(String) },
    });
    expect(upgrade.properties.correction).toMatch(
      /^was plan_upgraded free → plus \(\+49 USD\/month\): a late delivery told of subscription ACTIVE \(Pro\) at 2026-11-04T17:00:00.000Z$/,
    );
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "plus", mrr_usd: 49 });
  });

  it("an event that no longer happens once a late delivery is in its place is removed: the old plan's cancellation after a switch", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(1, "Pro", "ACTIVE", 1));
    await subscriptionUpdate(shop, sub(1, "Pro", "CANCELLED", 5, 13)); // read alone: the merchant cancelled
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["plan_cancelled", "trial_started"]);
    await subscriptionUpdate(shop, sub(2, "Plus", "ACTIVE", 5, 12)); // the switch that cancelled it, delivered late
    expect((await timeline(shop)).map((e) => [e.name, e.properties.from_plan ?? null, e.properties.to_plan ?? e.properties.plan])).toEqual([
      ["plan_upgraded", "pro", "plus"],
      ["trial_started", null, "pro"],
    ]);
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "plus", mrr_usd: 49, billing_status: "active" });
  });

  // fast-check's shrunk counterexample against the in-place handlers (test/webhooks/arrival-order.test.ts):
  // two switches in one minute, the newest subscription's activation delivered first.
  it("regression: switches at the same instant, the last one delivered first, read as in order", async () => {
    const shop = newShop();
    const minute = (m: number, s = 0) => `2026-09-01T00:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}Z`;
    const at = (id: number, status: string, time: string, created: string) => ({
      admin_graphql_api_id: `gid://shopify/AppSubscription/${id}`,
      name: "Pro",
      status,
      price: "19.00",
      created_at: created,
      updated_at: time,
    });
    for (const update of [
      at(3, "ACTIVE", minute(2), minute(2)),
      at(1, "ACTIVE", minute(1), minute(1)),
      at(2, "ACTIVE", minute(2), minute(2)),
      at(1, "CANCELLED", minute(2, 1), minute(1)),
      at(2, "CANCELLED", minute(2, 1), minute(2)),
    ]) {
      expect((await subscriptionUpdate(shop, update)).status).toBe(200);
    }
    expect((await timeline(shop)).map((e) => [e.name, e.occurred_at, e.properties.subscription_id])).toEqual([
      ["trial_started", "2026-09-01T00:01:00.000Z", "gid://shopify/AppSubscription/1"],
    ]);
    expect((await merchant(shop))!.custom_data).toMatchObject({
      plan: "pro",
      mrr_usd: 19,
      billing_status: "active",
      trial_ends_at: "2026-09-15T00:01:00.000Z",
    });
  });
});

describe("merchants whose state predates the fold", () => {
  it("a merchant known only by its custom data (no facts kept) is folded from that state: cancelling its plan is plan_cancelled", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, sub(1, "Plus", "ACTIVE", 1));
    // As an earlier version left it: the state in custom data, the events without their facts.
    const { sql } = await db();
    const id = (await merchant(shop))!.id;
    const appContact = await sql.one<{ id: number }>(
      `SELECT ac."id" FROM "AppContact" ac JOIN "Contact" c ON c."id" = ac."contactId" WHERE c."id" = ?`,
      [id],
    );
    await sql.run(`UPDATE "ContactEvent" SET "idempotencyKey" = NULL WHERE "appContactId" = ?`, [appContact!.id]);
    await sql.run(`DELETE FROM "MerchantFact" WHERE "appContactId" = ?`, [appContact!.id]);
    await sql.run(`DELETE FROM "MerchantState" WHERE "appContactId" = ?`, [appContact!.id]);

    await subscriptionUpdate(shop, sub(1, "Plus", "CANCELLED", 9));
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["plan_cancelled", "plan_upgraded"]);
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "free", mrr_usd: 0, billing_status: "cancelled" });
  });
});
