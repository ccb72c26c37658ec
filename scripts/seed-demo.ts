// Seeds what demo mode shows: the Shopify app's own Convot app (from .env) and a demo shop
// that looks installed (an offline session whose token is never sent anywhere). Idempotent.
import "./lib/load-env";
import { boot } from "../app/boot.server";
import { prisma, sql } from "../app/db.server";
import { env } from "../app/env.server";
import { DEMO_SHOP } from "../app/shopify/demo";

if (!env.DEMO_MODE) {
  console.error("✗ DEMO_MODE is not on: refusing to seed demo data into this database.");
  process.exit(2);
}

// boot() alone: the upkeep is the server's (startUpkeep), and would still be writing when the seed closes the database.
await boot();
const sessionId = `offline_${DEMO_SHOP}`;
// Through sql.exclusive, as every Prisma write in the app: on SQLite a batch of the layer's
// writes may hold the write lock, committed by this thread only after the current call returns
// (Prisma would wait for the lock, time out and fail the seed).
await sql.exclusive(() =>
  prisma.session.upsert({
    where: { id: sessionId },
    update: {},
    create: {
      id: sessionId,
      shop: DEMO_SHOP,
      state: "demo",
      isOnline: false,
      scope: env.SCOPES,
      accessToken: "demo-offline-token-not-valid-at-shopify",
    },
  }),
);
console.log(`› demo shop ${DEMO_SHOP} · Convot app ${env.CONVOT_APP_KEY ?? "(CONVOT_APP_KEY not set)"}`);
await prisma.$disconnect();
await sql.close();
