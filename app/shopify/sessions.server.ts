// Shopify OAuth sessions: the model functions the webhook handlers need beyond the library's storage.
import { prisma } from "../db.server";

export async function deleteSessionsForShop(shop: string): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { shop } });
  return count;
}

export async function updateSessionScopes(sessionId: string, scope: string): Promise<void> {
  await prisma.session.updateMany({ where: { id: sessionId }, data: { scope } });
}
