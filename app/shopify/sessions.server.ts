// Shopify OAuth sessions: the model functions the webhook handlers need beyond the library's storage.
import { prisma, sql } from "../db.server";
import type { Sql } from "../db/sql.server";

export async function deleteSessionsForShop(shop: string, db: Sql = sql): Promise<number> {
  return (await db.run(`DELETE FROM "Session" WHERE "shop" = ?`, [shop])).changes;
}

export async function updateSessionScopes(sessionId: string, scope: string): Promise<void> {
  await prisma.session.updateMany({ where: { id: sessionId }, data: { scope } });
}
