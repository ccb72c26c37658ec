-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "shopId" TEXT;

-- CreateIndex
CREATE INDEX "Shop_shopId_idx" ON "Shop"("shopId");

-- Copies of one event logged before this index (under several webhook ids) keep the event id on
-- the earliest only: the index can then be built, and later copies still find that one.
UPDATE "WebhookDelivery" SET "eventId" = NULL
WHERE "eventId" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "WebhookDelivery" w
  WHERE w."topic" = "WebhookDelivery"."topic" AND w."eventId" = "WebhookDelivery"."eventId"
    AND (w."receivedAt" < "WebhookDelivery"."receivedAt" OR (w."receivedAt" = "WebhookDelivery"."receivedAt" AND w."webhookId" < "WebhookDelivery"."webhookId"))
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_topic_eventId_key" ON "WebhookDelivery"("topic", "eventId");

