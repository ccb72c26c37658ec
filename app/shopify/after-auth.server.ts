// What runs each time a merchant completes OAuth (install or re-authorisation).
import type { Session } from "@shopify/shopify-api";

export async function afterAuth({ session }: { session: Session }): Promise<void> {
  // Install events and the shop cache are recorded by the webhooks/contact-store work;
  // until then a completed OAuth needs nothing beyond the stored session.
  void session;
}
