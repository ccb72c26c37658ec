// The one environment schema: parsed once at boot, so a missing or malformed variable
// stops the server with a message naming it. Nothing here falls back to an empty secret.
import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "./db/target";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex characters");
const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

/** `NAME=` in a .env file leaves an optional variable unset. */
const unsetWhenEmpty = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id from the Partner Dashboard)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret: it verifies Shopify's HMACs)"),
  SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
  SCOPES: z.string().default("read_themes"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), "must start with file: (SQLite) or postgres:// (PostgreSQL)"),
  // PostgreSQL: the most connections the app's query pool opens per instance (Prisma's session
  // storage keeps up to PRISMA_POOL_SIZE more). Size it against max_connections (README).
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1, "must be a whole number of connections, 1 or more").max(1000).default(10),
  // The Shopify app's own Convot app: merchants are its contacts.
  CONVOT_APP_KEY: z.string().regex(/^app_[A-Za-z0-9]{8,64}$/, "must look like app_ followed by 8–64 letters or digits"),
  CONVOT_IDENTITY_SECRET: hex64,
  // Signs the console's session cookie.
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters (random)"),
  CONVOT_API_KEY: z
    .string()
    .regex(/^ck_[A-Za-z0-9]{8,64}:[A-Za-z0-9]{16,128}$/, "must look like ck_<id>:<secret>")
    .optional(),
  // Behind one reverse proxy (the host's load balancer): the client's IP is the last
  // X-Forwarded-For entry. Off, the socket's peer address is the client (rate limits key on it).
  TRUST_PROXY: flag,
  // One app's allowance on the public widget endpoints' reads (identify, sessions): requests
  // per second, with bursts of twice as many. A guard against one app's flood, not a quota.
  APP_READ_RATE_LIMIT: z.coerce.number().int().min(1, "must be a whole number of requests per second, 1 or more").default(5000),
  // How often the upkeep jobs run, once per cluster (app/boot.server.ts). Shorter only to watch them.
  UPKEEP_EVERY_SECONDS: z.coerce.number().int().min(1, "must be a whole number of seconds, 1 or more").default(3600),
  // Runs the app without Shopify: seeded demo shop, /preview, the demo landing page.
  DEMO_MODE: flag,

  // The JSON log's level (app/ops/log.server.ts). Unset: info, or error alone under NODE_ENV=test.
  LOG_LEVEL: unsetWhenEmpty(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional()),
  // The bearer token /metrics asks for (Prometheus' `authorization` setting). Unset: /metrics is 404.
  METRICS_TOKEN: unsetWhenEmpty(z.string().min(16, "must be at least 16 characters (random)").optional()),
});

export type Env = z.infer<typeof envSchema>;

/**
 * What the browser may see: App Bridge's client id, the app's URL, and the Convot app key the
 * widget snippet carries on every page (a public key, like an analytics write key). Everything
 * else stays on the server (test/foundation/public-env.test.ts looks for it in every page).
 */
export const PUBLIC_ENV_KEYS = ["SHOPIFY_API_KEY", "SHOPIFY_APP_URL", "CONVOT_APP_KEY"] as const satisfies readonly (keyof Env)[];

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const missing = issue.code === "invalid_type" && issue.received === "undefined";
    return `  - ${name}: ${missing ? "is required" : issue.message}`;
  });
  throw new EnvError(`Invalid environment — fix these variables (see README, "Environment"):\n${lines.join("\n")}`);
}

function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError && process.env.NODE_ENV !== "test") {
      console.error(`\n✗ ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export const env: Env = loadEnv();
