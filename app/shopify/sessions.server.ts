// Shopify OAuth sessions: the model functions the webhook handlers need beyond the library's storage.
import { prisma, sql } from "../db.server";
import type { Sql } from "../db/sql.server";
import { shopSessionsChannel } from "./session-cache.server";

/** Inside a transaction, pass it as `db`: every instance forgets the shop's cached sessions once it commits. */
export async function deleteSessionsForShop(shop: string, db: Sql = sql): Promise<number> {
  const { changes } = await db.run(`DELETE FROM "Session" WHERE "shop" = ?`, [shop]);
  db.notify([shopSessionsChannel(shop)]);
  return changes;
}

export async function updateSessionScopes(session: { id: string; shop: string }, scope: string): Promise<void> {
  await sql.exclusive(() => prisma.session.updateMany({ where: { id: session.id }, data: { scope } }));
  sql.notify([shopSessionsChannel(session.shop)]);
}
