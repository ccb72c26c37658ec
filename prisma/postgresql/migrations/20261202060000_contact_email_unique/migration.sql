-- One contact per email among an organization's contacts without an external_id: what an
-- email-only find-or-create (API, unsigned or email-signed identify) matches, so the database
-- arbitrates concurrent creates instead of a look-then-insert (docs/decisions/017).
-- Hand-written: Prisma's schema cannot describe a partial unique index.
--
-- Duplicates written before this index (concurrent creates on PostgreSQL) are merged into the
-- oldest contact, which is the one every email lookup already returned: each duplicate's per-app
-- records move to it (events, conversations, custom data keys it lacks), then the duplicate goes.

CREATE TEMP TABLE "_dupe" AS
SELECT c."id" AS "dupe", k."keeper"
FROM "Contact" c
JOIN (SELECT "organizationId", "email", MIN("id") AS "keeper" FROM "Contact"
      WHERE "externalId" IS NULL AND "email" IS NOT NULL GROUP BY "organizationId", "email" HAVING COUNT(*) > 1) k
  ON k."organizationId" = c."organizationId" AND k."email" = c."email"
WHERE c."externalId" IS NULL AND c."id" <> k."keeper";

-- Each duplicate's app record and the record it merges into: the keeper's in that app, or else
-- the group's oldest record in that app (which then moves to the keeper).
CREATE TEMP TABLE "_acmap" AS
SELECT ac."id" AS "fromAc",
       COALESCE(
         (SELECT kac."id" FROM "AppContact" kac WHERE kac."appId" = ac."appId" AND kac."contactId" = d."keeper"),
         (SELECT MIN(gac."id") FROM "AppContact" gac JOIN "_dupe" g ON g."dupe" = gac."contactId"
          WHERE g."keeper" = d."keeper" AND gac."appId" = ac."appId")
       ) AS "toAc",
       d."keeper"
FROM "AppContact" ac JOIN "_dupe" d ON d."dupe" = ac."contactId";

UPDATE "ContactEvent" SET "appContactId" = (SELECT m."toAc" FROM "_acmap" m WHERE m."fromAc" = "ContactEvent"."appContactId")
WHERE "appContactId" IN (SELECT "fromAc" FROM "_acmap" WHERE "fromAc" <> "toAc");

UPDATE "Conversation" SET "appContactId" = (SELECT m."toAc" FROM "_acmap" m WHERE m."fromAc" = "Conversation"."appContactId")
WHERE "appContactId" IN (SELECT "fromAc" FROM "_acmap" WHERE "fromAc" <> "toAc");

INSERT INTO "CustomDataValue" ("appContactId", "appId", "key", "value", "type", "assertedAt")
SELECT m."toAc", v."appId", v."key", v."value", v."type", v."assertedAt"
FROM "CustomDataValue" v JOIN "_acmap" m ON m."fromAc" = v."appContactId"
WHERE m."fromAc" <> m."toAc"
ORDER BY v."assertedAt" DESC
ON CONFLICT ("appContactId", "key") DO NOTHING;

UPDATE "AppContact" SET "contactId" = (SELECT DISTINCT m."keeper" FROM "_acmap" m WHERE m."toAc" = "AppContact"."id")
WHERE "id" IN (SELECT "toAc" FROM "_acmap" WHERE "fromAc" = "toAc");

DELETE FROM "AppContact" WHERE "id" IN (SELECT "fromAc" FROM "_acmap" WHERE "fromAc" <> "toAc");
DELETE FROM "Contact" WHERE "id" IN (SELECT "dupe" FROM "_dupe");

DROP TABLE "_acmap";
DROP TABLE "_dupe";

CREATE UNIQUE INDEX "Contact_organizationId_email_without_externalId_key" ON "Contact"("organizationId", "email") WHERE "externalId" IS NULL;
