-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "emailTrusted" BOOLEAN NOT NULL DEFAULT true;

