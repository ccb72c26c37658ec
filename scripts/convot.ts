// `npm run convot -- <command>`: operate Convot apps and API keys from a shell.
import "./lib/load-env";
import { parseArgs } from "node:util";

const USAGE = `usage: npm run convot -- <command>

  app create --name NAME [--require-verification] [--json]
      a new organization and app, with an API key holding every scope
  apikey create --app APP_KEY --scopes SCOPE[,SCOPE…] [--name LABEL] [--json]
  apikey list --app APP_KEY [--json]
  apikey revoke KEY_ID            (the id in ck_<id>:<secret>, or the whole token)
  operator create --email EMAIL --password PASSWORD [--role owner|agent] [--app APP_KEY]
      a console operator in the organization of APP_KEY (default: CONVOT_APP_KEY's)
  sweep trials                    record trial_ended for trials that have ended (the server does this hourly)

scopes: contacts:read contacts:write conversations:read conversations:write messages:read messages:write`;

class UsageError extends Error {}

function fail(message: string, code = 1): never {
  console.error(`✗ ${message}`);
  process.exit(code);
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      app: { type: "string" },
      scopes: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string", default: "agent" },
      json: { type: "boolean", default: false },
      "require-verification": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [noun, verb, arg] = positionals;
  if (values.help || !noun) {
    console.log(USAGE);
    return;
  }
  const { createApp, createOrganization, findAppByPublicKey } = await import("../app/apps/apps.server");
  const { createApiKey, listApiKeys, parseScopes, revokeApiKey, SCOPES } = await import("../app/apps/api-keys.server");
  const print = (json: unknown, text: string) => console.log(values.json ? JSON.stringify(json, null, 2) : text);
  const appByKey = async () => {
    if (!values.app) throw new UsageError("--app APP_KEY is required");
    return (await findAppByPublicKey(values.app)) ?? fail(`no app with key ${values.app}`);
  };

  switch (`${noun} ${verb ?? ""}`.trim()) {
    case "app create": {
      if (!values.name?.trim()) throw new UsageError("--name NAME is required");
      const organization = await createOrganization(values.name.trim());
      const app = await createApp({
        organizationId: organization.id,
        name: values.name.trim(),
        requireIdentityVerification: values["require-verification"],
      });
      const key = await createApiKey({ appId: app.id, scopes: [...SCOPES], name: "created with the app" });
      print(
        { app_key: app.publicKey, identity_secret: app.identitySecret, api_key: key.token },
        `app "${app.name}" created\n  app key          ${app.publicKey}\n  identity secret  ${app.identitySecret}   (server-side only)\n  API key          ${key.token}   (shown once)`,
      );
      return;
    }
    case "apikey create": {
      const app = await appByKey();
      if (!values.scopes) throw new UsageError("--scopes is required (comma-separated)");
      const scopes = parseScopes(values.scopes);
      if (scopes.length === 0) throw new UsageError("--scopes names no scope");
      const key = await createApiKey({ appId: app.id, scopes, name: values.name });
      print(
        { id: key.id, api_key: key.token, scopes },
        `API key ${key.id} for ${app.publicKey} (${scopes.join(" ")})\n  ${key.token}   (shown once: store it now)`,
      );
      return;
    }
    case "apikey list": {
      const app = await appByKey();
      const keys = await listApiKeys(app.id);
      print(
        keys.map((k) => ({ id: k.id, name: k.name, scopes: k.scopes, created_at: k.createdAt, last_used_at: k.lastUsedAt, revoked_at: k.revokedAt })),
        keys
          .map((k) => `${k.id}  ${k.revokedAt ? "revoked " : "live    "} ${k.scopes.join(",")}  last used ${k.lastUsedAt?.toISOString() ?? "never"}`)
          .join("\n") || "(no keys)",
      );
      return;
    }
    case "apikey revoke": {
      if (!arg) throw new UsageError("apikey revoke needs the key id");
      const id = arg.replace(/^ck_/, "").split(":")[0];
      if (!(await revokeApiKey(id))) fail(`no live API key with id ${id}`);
      print({ id, revoked: true }, `API key ${id} revoked`);
      return;
    }
    case "operator create": {
      const key = values.app ?? process.env.CONVOT_APP_KEY;
      if (!key) throw new UsageError("--app APP_KEY is required (or set CONVOT_APP_KEY)");
      if (!values.email || !values.password) throw new UsageError("--email and --password are required");
      const app = (await findAppByPublicKey(key)) ?? fail(`no app with key ${key}`);
      const { createOperator } = await import("../app/console/operators.server");
      const operator = await createOperator({
        organizationId: app.organizationId,
        email: values.email,
        password: values.password,
        role: values.role!,
      });
      print(
        { id: operator.id, email: operator.email, role: operator.role },
        `operator ${operator.email} (${operator.role}) can now sign in at /console`,
      );
      return;
    }
    case "sweep trials": {
      const { sweepEndedTrials } = await import("../app/shopify/trials.server");
      const recorded = await sweepEndedTrials();
      print({ trial_ended: recorded }, `${recorded} trial_ended event${recorded === 1 ? "" : "s"} recorded`);
      return;
    }
    default:
      throw new UsageError(`unknown command: ${positionals.join(" ")}`);
  }
}

try {
  await main(process.argv.slice(2));
  process.exit(0);
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`✗ ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if ((error as Error).name === "UnknownScopeError") fail((error as Error).message, 2);
  const details = (error as { details?: { field: string; message: string }[] }).details;
  if (details?.length) fail(details.map((d) => `${d.field} ${d.message}`).join("; "), 2);
  fail((error as Error).message);
}
