-- CreateTable
CREATE TABLE "MerchantFact" (
    "id" SERIAL NOT NULL,
    "appId" INTEGER NOT NULL,
    "appContactId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "sortKey" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '{}',
    "source" TEXT NOT NULL,
    "webhookId" TEXT,
    "eventId" TEXT,
    "arrivedLate" BOOLEAN NOT NULL DEFAULT false,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "reads" TEXT,

    CONSTRAINT "MerchantFact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MerchantState" (
    "appContactId" INTEGER NOT NULL,
    "appId" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "lastFactKey" TEXT NOT NULL,

    CONSTRAINT "MerchantState_pkey" PRIMARY KEY ("appContactId")
);

-- CreateIndex
CREATE UNIQUE INDEX "MerchantFact_appContactId_sortKey_key" ON "MerchantFact"("appContactId", "sortKey");

-- AddForeignKey
ALTER TABLE "MerchantFact" ADD CONSTRAINT "MerchantFact_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MerchantFact" ADD CONSTRAINT "MerchantFact_appContactId_fkey" FOREIGN KEY ("appContactId") REFERENCES "AppContact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MerchantState" ADD CONSTRAINT "MerchantState_appContactId_fkey" FOREIGN KEY ("appContactId") REFERENCES "AppContact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MerchantState" ADD CONSTRAINT "MerchantState_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

