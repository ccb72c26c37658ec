-- The state-events index's predicate as equalities joined by OR, not an IN list: the queries
-- repeat the predicate (a partial index applies only when the query implies it), and SQLite
-- builds a temporary table for an IN list of more than two constants on every execution:
-- ~8 µs per lookup, more than the lookup itself (docs/decisions/011).
-- Hand-written: Prisma's schema language cannot express a partial index.

-- DropIndex
DROP INDEX "ContactEvent_stateEvents_idx";

-- CreateIndex
CREATE INDEX "ContactEvent_stateEvents_idx" ON "ContactEvent"("appContactId", "name", "occurredAt", "id")
  WHERE ("name" = 'charge_failed' OR "name" = 'charge_recovered' OR "name" = 'plan_cancelled' OR "name" = 'plan_downgraded' OR "name" = 'plan_upgraded' OR "name" = 'shop_installed' OR "name" = 'shopify_plan_changed' OR "name" = 'trial_started');
