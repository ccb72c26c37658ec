-- The console's text search over a contact's domain, email, name and company (docs/decisions/013).
-- Hand-written: Prisma's schema cannot describe an expression GIN index.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One trigram index over the four fields, lowercased and joined by a character no search
-- contains (chr(1)), so a match never spans two fields. The query repeats this expression
-- exactly (app/console/merchants.server.ts): that is what lets PostgreSQL use the index.
-- IF NOT EXISTS: a large install may build it first with CREATE INDEX CONCURRENTLY (no write lock).
CREATE INDEX IF NOT EXISTS "Contact_search_trgm_idx" ON "Contact" USING gin (
  lower(coalesce("externalId", '') || chr(1) || coalesce("email", '') || chr(1) || coalesce("name", '') || chr(1) || coalesce("company", '')) gin_trgm_ops
);
