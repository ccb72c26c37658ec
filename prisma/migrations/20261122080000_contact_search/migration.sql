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

-- Every later write keeps the index in step, whoever makes it (the app, a cascade, a console).
CREATE TRIGGER "Contact_search_insert" AFTER INSERT ON "Contact" BEGIN
  INSERT INTO "ContactSearch" (rowid, "externalId", "email", "name", "company")
  VALUES (new."id", new."externalId", new."email", new."name", new."company");
END;

CREATE TRIGGER "Contact_search_delete" AFTER DELETE ON "Contact" BEGIN
  INSERT INTO "ContactSearch" ("ContactSearch", rowid, "externalId", "email", "name", "company")
  VALUES ('delete', old."id", old."externalId", old."email", old."name", old."company");
END;

-- Only when a searched value changes: an upsert that writes the same name again costs nothing here.
CREATE TRIGGER "Contact_search_update" AFTER UPDATE OF "externalId", "email", "name", "company" ON "Contact"
WHEN old."externalId" IS NOT new."externalId" OR old."email" IS NOT new."email"
  OR old."name" IS NOT new."name" OR old."company" IS NOT new."company"
BEGIN
  INSERT INTO "ContactSearch" ("ContactSearch", rowid, "externalId", "email", "name", "company")
  VALUES ('delete', old."id", old."externalId", old."email", old."name", old."company");
  INSERT INTO "ContactSearch" (rowid, "externalId", "email", "name", "company")
  VALUES (new."id", new."externalId", new."email", new."name", new."company");
END;
