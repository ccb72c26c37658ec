import { describe, expect, it } from "vitest";
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
    expect(events.map((e) => [e.name, e.properties.from_plan ?? null, e.properties.to_plan ?? e.properties.plan, e.properties.mrr_delta ?? null])).toEqual([
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
      const res = await api(`/api/v1/contacts/${id}/events`, { token: DEVELOPER_TOKEN(), method: "POST", body: { name: i % 2 ? "feature_used" : "report_exported", occurred_at } });
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
