// Shopify delivers webhooks at least once, late and out of order, and sends one event under a
// new webhook id per subscription to its topic. Each event is processed exactly once: its
// X-Shopify-Webhook-Id and (topic, X-Shopify-Event-Id) are inserted in the same transaction as
// its effects, and unique keys — not a lookup — decide who processes it. Failures are logged
// and answered 500 so Shopify retries; the retry then succeeds once.
import { sql } from "../db.server";
import { isUniqueViolation, toDate, type Sql } from "../db/sql.server";
import { recordWebhookOutcome } from "../ops/metrics.server";

/** A delivery as its signed body tells it (app/shopify/delivery-origin.server.ts). */
export type Delivery = {
  webhookId: string;
  eventId?: string | null;
  topic: string;
  /** The shop the signed payload names (the header only where the payload names none). */
  shop: string;
  /** When its fact happened: the payload's own time, else Shopify's trigger time; never after receipt. */
  at: Date;
  /** X-Shopify-Triggered-At, else the time of receipt; never after receipt. */
  triggeredAt: Date;
  receivedAt: Date;
  payload: Record<string, unknown>;
};

/**
 * Runs `work` for a delivery unless it — or another copy of its event — was already processed.
 * Returns false for a duplicate. Two copies arriving together: the second waits on the first's
 * unique insert (PostgreSQL) or its transaction (SQLite), then sees it done.
 */
export async function processOnce(delivery: Delivery, work: (tx: Sql) => Promise<void>): Promise<boolean> {
  try {
    const processed = await sql.transaction(async (tx) => {
      const now = new Date();
      const claimed = await tx.one(
        `INSERT INTO "WebhookDelivery" ("webhookId", "eventId", "topic", "shop", "triggeredAt", "receivedAt", "processedAt", "outcome", "attempts")
         VALUES (?, ?, ?, ?, ?, ?, ?, 'processed', 1) ON CONFLICT DO NOTHING RETURNING "webhookId"`,
        [delivery.webhookId, delivery.eventId ?? null, delivery.topic, delivery.shop, delivery.triggeredAt, delivery.receivedAt, now],
      );
      if (!claimed) {
        // Seen before, by its webhook id or its event id: processed now only if that attempt failed.
        const retry = await tx.run(
          `UPDATE "WebhookDelivery" SET "outcome" = 'processed', "processedAt" = ?, "error" = NULL, "attempts" = "attempts" + 1
           WHERE "outcome" = 'failed' AND ("webhookId" = ? OR ("topic" = ? AND "eventId" = ?))`,
          [now, delivery.webhookId, delivery.topic, delivery.eventId ?? null],
        );
        if (retry.changes === 0) return false;
      }
      await work(tx);
      return true;
    });
    recordWebhookOutcome(delivery.topic, processed ? "processed" : "duplicate");
    return processed;
  } catch (error) {
    recordWebhookOutcome(delivery.topic, "failed");
    await recordFailure(delivery, error);
    throw error;
  }
}

async function recordFailure(delivery: Delivery, error: unknown) {
  const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
  try {
    await sql.run(
      `INSERT INTO "WebhookDelivery" ("webhookId", "eventId", "topic", "shop", "triggeredAt", "receivedAt", "outcome", "error", "attempts")
       VALUES (?, ?, ?, ?, ?, ?, 'failed', ?, 1)
       ON CONFLICT ("webhookId") DO UPDATE SET "outcome" = 'failed', "error" = excluded."error", "attempts" = "WebhookDelivery"."attempts" + 1
       WHERE "WebhookDelivery"."outcome" <> 'processed'`,
      [delivery.webhookId, delivery.eventId ?? null, delivery.topic, delivery.shop, delivery.triggeredAt, delivery.receivedAt, message],
    );
  } catch (logError) {
    if (isUniqueViolation(logError)) {
      // Another copy of the event holds its entry: the failure is counted there.
      await sql
        .run(
          `UPDATE "WebhookDelivery" SET "error" = ?, "attempts" = "attempts" + 1 WHERE "topic" = ? AND "eventId" = ? AND "outcome" <> 'processed'`,
          [message, delivery.topic, delivery.eventId ?? null],
        )
        .catch((updateError) => console.error("[webhooks] could not record a failed delivery:", updateError));
    } else {
      console.error("[webhooks] could not record a failed delivery:", logError);
    }
  }
  console.error(`[webhooks] ${delivery.topic} ${delivery.webhookId} for ${delivery.shop} failed:`, error);
}

export type DeliveryLogEntry = {
  webhookId: string;
  eventId: string | null;
  topic: string;
  shop: string;
  receivedAt: Date;
  processedAt: Date | null;
  outcome: string;
  error: string | null;
  attempts: number;
};

/** The delivery log, failures first, then newest first. */
export async function listDeliveries(options: { shop?: string; limit?: number } = {}): Promise<DeliveryLogEntry[]> {
  const rows = await sql.all(
    `SELECT "webhookId", "eventId", "topic", "shop", "receivedAt", "processedAt", "outcome", "error", "attempts" FROM "WebhookDelivery"
     ${options.shop ? `WHERE "shop" = ?` : ""} ORDER BY CASE WHEN "outcome" = 'failed' THEN 0 ELSE 1 END, "receivedAt" DESC LIMIT ?`,
    options.shop ? [options.shop, options.limit ?? 100] : [options.limit ?? 100],
  );
  return rows.map((row) => ({
    webhookId: String(row.webhookId),
    eventId: (row.eventId as string | null) ?? null,
    topic: String(row.topic),
    shop: String(row.shop),
    receivedAt: toDate(row.receivedAt),
    processedAt: row.processedAt ? toDate(row.processedAt) : null,
    outcome: String(row.outcome),
    error: (row.error as string | null) ?? null,
    attempts: Number(row.attempts),
  }));
}

/**
 * How long the delivery log keeps an entry. Exactly-once rests on it (a redelivered id is found
 * here), and Shopify retries a failed delivery 8 times over 4 hours (its changelog, September
 * 2024): 30 days is far past that, and past most support questions about a delivery. Without a
 * limit the log would grow by every webhook, forever (ADR 010).
 */
export const DELIVERY_LOG_DAYS = 30;
const PRUNE_BATCH = 1000;

/**
 * Deletes log entries received before `now` − DELIVERY_LOG_DAYS, 1,000 per statement; returns
 * how many. Each statement is committed before the next runs, so requests run in between.
 */
export async function pruneDeliveryLog(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - DELIVERY_LOG_DAYS * 86_400_000);
  let pruned = 0;
  for (;;) {
    const { changes } = await sql.run(
      `DELETE FROM "WebhookDelivery" WHERE "webhookId" IN (SELECT "webhookId" FROM "WebhookDelivery" WHERE "receivedAt" < ? LIMIT ${PRUNE_BATCH})`,
      [cutoff],
    );
    pruned += changes;
    if (changes < PRUNE_BATCH) return pruned;
  }
}
