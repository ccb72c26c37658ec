-- Sign-in failures are counted by the rate limiters (docs/decisions/014), not on the operator.
-- Hand-written: Prisma's diff rebuilt the table (new_Operator, copy, rename), which on SQLite resets
-- the AUTOINCREMENT counter to the highest surviving id, so a deleted operator's id could be handed
-- out again (messages keep the id of the operator who wrote them). DROP COLUMN needs no rebuild.
ALTER TABLE "Operator" DROP COLUMN "failedLogins";
ALTER TABLE "Operator" DROP COLUMN "lockedUntil";
