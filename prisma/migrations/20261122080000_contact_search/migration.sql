-- The console's text search over a contact's domain, email, name and company (docs/decisions/013).
-- Hand-written: Prisma's schema cannot describe an FTS5 table or triggers.
-- A trigram index answers "contains this text" (3 characters or more) without reading every
-- contact; it stores no copy of the text (external content: the Contact table is the content).
CREATE VIRTUAL TABLE "ContactSearch" USING fts5(
  "externalId", "email", "name", "company",
  content = 'Contact', content_rowid = 'id', tokenize = 'trigram'
);

-- Contacts written before this migration.
INSERT INTO "ContactSearch" ("ContactSearch") VALUES ('rebuild');

-- Every later INSERT, UPDATE and DELETE keeps the index in step, whoever makes it (the app, a
-- cascade from a deleted organization, a console). Never REPLACE or INSERT OR REPLACE a contact:
-- the row it deletes fires no trigger (recursive_triggers is off) and the index would go out of step.
CREATE TRIGGER "Contact_search_insert" AFTER INSERT ON "Contact" BEGIN
  INSERT INTO "ContactSearch" (rowid, "externalId", "email", "name", "company")
  VALUES (new."id", new."externalId", new."email", new."name", new."company");
END;

-- A deleted contact is an erased one (the API's DELETE, customers/redact, shop/redact). FTS5
-- only marks its trigrams deleted — with their positions, they spell its email and name back
-- out — until a merge drops them: the row below asks the hourly upkeep for that merge
-- (app/convot/contact-search.server.ts). Until then nothing can find them.
CREATE TABLE "ContactSearchPurge" ("id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1));

CREATE TRIGGER "Contact_search_delete" AFTER DELETE ON "Contact" BEGIN
  INSERT INTO "ContactSearch" ("ContactSearch", rowid, "externalId", "email", "name", "company")
  VALUES ('delete', old."id", old."externalId", old."email", old."name", old."company");
  INSERT OR IGNORE INTO "ContactSearchPurge" ("id") VALUES (1);
END;

CREATE TRIGGER "Contact_search_update" AFTER UPDATE OF "externalId", "email", "name", "company" ON "Contact"
WHEN old."externalId" IS NOT new."externalId" OR old."email" IS NOT new."email"
  OR old."name" IS NOT new."name" OR old."company" IS NOT new."company"
BEGIN
  INSERT INTO "ContactSearch" ("ContactSearch", rowid, "externalId", "email", "name", "company")
  VALUES ('delete', old."id", old."externalId", old."email", old."name", old."company");
  INSERT INTO "ContactSearch" (rowid, "externalId", "email", "name", "company")
  VALUES (new."id", new."externalId", new."email", new."name", new."company");
END;
