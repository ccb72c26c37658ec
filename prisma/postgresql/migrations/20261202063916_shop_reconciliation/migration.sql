-- CreateTable
CREATE TABLE "ShopReconciliation" (
    "shop" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL,
    "confirmedAt" TIMESTAMP(3),
    "drift" TEXT,
    "driftAt" TIMESTAMP(3),
    "outcome" TEXT,

    CONSTRAINT "ShopReconciliation_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "ShopReconciliation_confirmedAt_idx" ON "ShopReconciliation"("confirmedAt");

