-- CreateTable
CREATE TABLE "JobRun" (
    "name" TEXT NOT NULL,
    "slot" DATETIME NOT NULL,
    "instance" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "outcome" TEXT NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,

    PRIMARY KEY ("name", "slot")
);

