-- Whether the writer of a contact's email vouched for it (docs/decisions/007).
-- Hand-written: Prisma's diff rebuilt the table (new_Contact, copy, rename), which on SQLite resets
-- the AUTOINCREMENT counter to the highest surviving id, so ids of the newest erased contacts
-- would be handed out again. Adding a column with a constant default needs no rebuild.
ALTER TABLE "Contact" ADD COLUMN "emailTrusted" BOOLEAN NOT NULL DEFAULT true;
