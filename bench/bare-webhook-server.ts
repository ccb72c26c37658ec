// The floor for webhook handling: node:http, a Request, and only authenticate.webhook from
// shopify-app-remix — same library, same HMAC check, the app's own session storage (Shopify's
// Prisma storage, read through the SQL layer, behind the same cache) on the same database —
// answering 200.
import "@shopify/shopify-app-remix/adapters/node";
import http from "node:http";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaClient } from "../app/db/generated/sqlite/client";
import { openSqlite } from "../app/db/sql.server";
import { CachedSessionStorage } from "../app/shopify/session-cache.server";
import { SessionStorage } from "../app/shopify/session-storage.server";

const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${process.env.BENCH_DB}` }) });

const sql = openSqlite(process.env.BENCH_DB!);
const shopify = shopifyApp({
  apiKey: "bench",
  apiSecretKey: process.env.SHOPIFY_API_SECRET!,
  appUrl: `http://127.0.0.1:${process.env.PORT}`,
  apiVersion: ApiVersion.October26,
  scopes: ["read_themes"],
  sessionStorage: new CachedSessionStorage(new SessionStorage(prisma, sql), sql),
  isEmbeddedApp: true,
  logger: { level: 0 },
});

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const method = req.method ?? "GET";
      if (method !== "POST") return void res.end("ok");
      const request = new Request(`http://127.0.0.1${req.url}`, { method, headers, body: Buffer.concat(chunks) });
      try {
        await shopify.authenticate.webhook(request);
        res.writeHead(200).end();
      } catch (thrown) {
        res.writeHead(thrown instanceof Response ? thrown.status : 500).end();
      }
    });
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGINT", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
