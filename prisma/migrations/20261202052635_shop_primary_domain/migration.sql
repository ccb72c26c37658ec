-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "primaryDomain" TEXT;

