-- (MerchantState's key is its merchant's AppContact id, never generated: no AUTOINCREMENT.)
-- CreateTable
CREATE TABLE "MerchantFact" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "appId" INTEGER NOT NULL,
    "appContactId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "sortKey" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '{}',
    "source" TEXT NOT NULL,
    "webhookId" TEXT,
    "eventId" TEXT,
    "arrivedLate" BOOLEAN NOT NULL DEFAULT false,
    "receivedAt" DATETIME NOT NULL,
    "reads" TEXT,
    CONSTRAINT "MerchantFact_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MerchantFact_appContactId_fkey" FOREIGN KEY ("appContactId") REFERENCES "AppContact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MerchantState" (
    "appContactId" INTEGER NOT NULL PRIMARY KEY,
    "appId" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "lastFactKey" TEXT NOT NULL,
    CONSTRAINT "MerchantState_appContactId_fkey" FOREIGN KEY ("appContactId") REFERENCES "AppContact" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MerchantState_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "MerchantFact_appContactId_sortKey_key" ON "MerchantFact"("appContactId", "sortKey");

