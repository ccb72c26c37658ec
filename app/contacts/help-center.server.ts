// Who a help-center visitor is, from the identity token the widget put on the link.
import { findAppByPublicKey } from "../apps/apps.server";
import { findContactInApp } from "./contacts-in-app.server";
import { verifyIdentityToken } from "./identity-token";

const REASONS = {
  malformed: "the identity link is malformed",
  bad_signature: "the identity link was altered",
  expired: "the identity link has expired",
  other_app: "the identity link belongs to another app",
} as const;

export type HelpCenterVisitor =
  { identified: true; contactId: number; name: string | null; email: string | null } | { identified: false; reason: string | null };

export async function helpCenterVisitor(appKey: string | null, token: string | null): Promise<HelpCenterVisitor> {
  if (!token) return { identified: false, reason: null };
  const app = appKey ? await findAppByPublicKey(appKey) : null;
  if (!app) return { identified: false, reason: "unknown app" };
  const check = verifyIdentityToken(app, token);
  if (!check.ok) return { identified: false, reason: REASONS[check.reason] };
  const contact = await findContactInApp(app.id, check.contactId);
  if (!contact) return { identified: false, reason: "the contact no longer exists" };
  // An email nobody vouched for is not shown as who they are signed in as (ADR 007).
  return { identified: true, contactId: contact.id, name: contact.name, email: contact.emailTrusted ? contact.email : null };
}
