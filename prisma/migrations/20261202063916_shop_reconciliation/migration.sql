-- CreateTable
CREATE TABLE "ShopReconciliation" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "claimedAt" DATETIME NOT NULL,
    "confirmedAt" DATETIME,
    "drift" TEXT,
    "driftAt" DATETIME,
    "outcome" TEXT
);

-- CreateIndex
CREATE INDEX "ShopReconciliation_confirmedAt_idx" ON "ShopReconciliation"("confirmedAt");

