// The bare baseline: node:http plus one direct better-sqlite3 upsert for an identify call.
// What our identify costs beyond this is the price of Remix, validation, matching and merging.
import http from "node:http";
import Database from "better-sqlite3";

const db = new Database(process.env.BENCH_DB!);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const org = (db.prepare(`SELECT "id" FROM "Organization" ORDER BY "id" LIMIT 1`).get() as { id: number }).id;
const upsert = db.prepare(
  `INSERT INTO "Contact" ("organizationId", "externalId", "name", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)
   ON CONFLICT ("organizationId", "externalId") DO UPDATE SET "name" = excluded."name", "updatedAt" = excluded."updatedAt" RETURNING "id"`,
);

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST") return void res.end("ok");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const now = new Date().toISOString();
      // all(), not get(): get() leaves a RETURNING statement before its end, where SQLite runs
      // its automatic checkpoint, so the log would grow without bound (~1 GB in the bench's
      // 13 s) and this baseline would skip the checkpoints every real server pays for.
      const [row] = upsert.all(org, body.external_id, body.name ?? null, now, now) as { id: number }[];
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ contact_id: row.id, verified: true }));
    });
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
