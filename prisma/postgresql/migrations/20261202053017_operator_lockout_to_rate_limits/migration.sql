-- AlterTable
ALTER TABLE "Operator" DROP COLUMN "failedLogins",
DROP COLUMN "lockedUntil";

