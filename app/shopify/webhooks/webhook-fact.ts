// What a webhook delivery tells of a merchant, as a fact for its fold (docs/decisions/019):
// at the delivery's own time, with the delivery's ids for the timeline's provenance.
import type { NewFact } from "../merchant-facts.server";
import type { Fact } from "../merchant-fold";
import type { Delivery } from "../webhook-deliveries.server";

export function webhookFact(delivery: Delivery, fact: Omit<Fact, "occurredAt">): NewFact {
  return {
    ...fact,
    occurredAt: delivery.at,
    source: "webhook",
    webhookId: delivery.webhookId,
    eventId: delivery.eventId ?? null,
    receivedAt: delivery.receivedAt,
  };
}

export const record = (value: unknown): Record<string, unknown> => (value && typeof value === "object" ? (value as Record<string, unknown>) : {});
export const text = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));
