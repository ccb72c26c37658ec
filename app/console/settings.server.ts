// App settings in the console: keys and verification. Owners change them; agents may look.
import { createApiKey, listApiKeys, parseScopes, revokeApiKey, SCOPES, UnknownScopeError, type Scope } from "../apps/api-keys.server";
import { findAppById, updateAppSettings } from "../apps/apps.server";
import { ConvotError, notFound } from "../errors";
import { newIdentitySecret } from "../apps/secrets";
import { containsNul } from "../contacts/validation";
import { env } from "../env.server";
import { assertOwner, type Operator } from "./operators.server";

export async function settingsPage(appId: number) {
  const app = await findAppById(appId);
  if (!app) throw notFound("app");
  const keys = await listApiKeys(appId);
  return {
    appKey: app.publicKey,
    requireIdentityVerification: app.requireIdentityVerification,
    scopes: [...SCOPES],
    apiKeys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      scopes: k.scopes,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  };
}

export type SettingsResult = { revealed?: string; createdToken?: string; message?: string };

/** One settings form post. The identity secret is sent to the browser only when an owner asks. */
export async function changeSettings(operator: Operator, appId: number, form: FormData): Promise<SettingsResult> {
  const intent = String(form.get("intent") ?? "");
  const app = await findAppById(appId);
  if (!app) throw notFound("app");
  assertOwner(operator);
  // The Shopify app's own app takes its secret and its verification rule from the environment
  // (boot restores them): a change here would be undone by the next deploy.
  if (app.publicKey === env.CONVOT_APP_KEY && (intent === "rotate-secret" || intent === "verification")) {
    throw new ConvotError(
      "unprocessable_entity",
      "This is the Shopify app's own Convot app: its identity secret is CONVOT_IDENTITY_SECRET in the server's environment, and it always requires verification. Rotate the secret there and redeploy.",
    );
  }
  switch (intent) {
    case "reveal-secret":
      return { revealed: app.identitySecret };
    case "rotate-secret": {
      if (form.get("confirm") !== "rotate") {
        throw new ConvotError("unprocessable_entity", 'type "rotate" to confirm: every user_hash signed with the old secret stops verifying');
      }
      const secret = newIdentitySecret();
      await updateAppSettings(app.id, { identitySecret: secret });
      return { revealed: secret, message: "The identity secret was rotated. Update your servers: old hashes no longer verify." };
    }
    case "verification": {
      const on = form.get("require") === "on";
      await updateAppSettings(app.id, { requireIdentityVerification: on });
      return { message: on ? "Unsigned identifies are now refused." : "Unsigned identifies are accepted again (they can only fill blanks)." };
    }
    case "create-key": {
      let scopes: Scope[];
      try {
        scopes = parseScopes(form.getAll("scopes").map(String));
      } catch (error) {
        if (error instanceof UnknownScopeError) throw new ConvotError("unprocessable_entity", error.message);
        throw error;
      }
      if (scopes.length === 0) throw new ConvotError("unprocessable_entity", "choose at least one scope");
      const name = String(form.get("name") ?? "").slice(0, 100);
      if (containsNul(name)) throw new ConvotError("unprocessable_entity", "the key's name must not contain NUL characters");
      const key = await createApiKey({ appId: app.id, scopes, name });
      return { createdToken: key.token, message: "Copy this key now: it is shown once." };
    }
    case "revoke-key": {
      const keyId = String(form.get("keyId") ?? "");
      if (!/^[A-Za-z0-9]{1,64}$/.test(keyId) || !(await revokeApiKey(keyId, app.id))) throw notFound("API key");
      return { message: "The key was revoked: it stops working at once." };
    }
    default:
      throw new ConvotError("bad_request", `unknown intent "${intent}"`);
  }
}
