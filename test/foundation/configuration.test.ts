import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "../../app/shopify.server";
import { parseEnv } from "../../app/env.server";
import { readAppToml, readTomlApiVersion, readTomlSubscriptions } from "../../scripts/lib/app-toml";
import { ROOT } from "../support/database";

const validEnv = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://example.com",
  CONVOT_APP_KEY: "app_abcdefgh12",
  CONVOT_IDENTITY_SECRET: "a".repeat(64),
  SESSION_SECRET: "s".repeat(32),
};

describe("shopify.app.toml", () => {
  it("declares the same Admin API version as the app", () => {
    expect(readTomlApiVersion()).toBe(ADMIN_API_VERSION);
  });

  it("subscribes every topic to /webhooks/<topic>, handled by its own route file", () => {
    const subscriptions = readTomlSubscriptions();
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const { topic, uri } of subscriptions) {
      expect(uri).toBe(`/webhooks/${topic}`);
      const route = path.join(ROOT, "app/routes", `webhooks.${topic.replaceAll("/", ".")}.tsx`);
      expect(fs.existsSync(route), `${topic} → ${path.relative(ROOT, route)}`).toBe(true);
    }
  });

  it("subscribes the three mandatory compliance topics", () => {
    const topics = readTomlSubscriptions().map((s) => s.topic);
    expect(topics).toEqual(expect.arrayContaining(["customers/data_request", "customers/redact", "shop/redact"]));
  });

  it("routes the app proxy to this app's /proxy", () => {
    expect(readAppToml().app_proxy).toMatchObject({ subpath: "convot", prefix: "apps" });
    expect(new URL(readAppToml().app_proxy!.url).pathname).toBe("/proxy");
  });
});

describe("environment schema", () => {
  it("accepts a minimal valid environment and fills defaults", () => {
    const env = parseEnv(validEnv);
    expect(env.DATABASE_URL).toBe("file:./prisma/dev.sqlite");
    expect(env.PORT).toBe(3000);
    expect(env.APP_READ_RATE_LIMIT).toBe(5000);
  });

  it("takes one app's read allowance from the environment, and names a bad one", () => {
    expect(parseEnv({ ...validEnv, APP_READ_RATE_LIMIT: "20000" }).APP_READ_RATE_LIMIT).toBe(20000);
    expect(() => parseEnv({ ...validEnv, APP_READ_RATE_LIMIT: "0" })).toThrow(/APP_READ_RATE_LIMIT: must be a whole number/);
    expect(() => parseEnv({ ...validEnv, APP_READ_RATE_LIMIT: "lots" })).toThrow(/APP_READ_RATE_LIMIT/);
  });

  it("takes the PostgreSQL pool size from the environment, and names a bad one", () => {
    expect(parseEnv(validEnv).DATABASE_POOL_SIZE).toBe(10);
    expect(parseEnv({ ...validEnv, DATABASE_POOL_SIZE: "40" }).DATABASE_POOL_SIZE).toBe(40);
    expect(() => parseEnv({ ...validEnv, DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE: must be a whole number of connections/);
    expect(() => parseEnv({ ...validEnv, DATABASE_POOL_SIZE: "many" })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it("names a missing secret", () => {
    const { SHOPIFY_API_SECRET: _omitted, ...rest } = validEnv;
    expect(() => parseEnv(rest)).toThrow(/SHOPIFY_API_SECRET: is required/);
  });

  it("treats an empty secret as missing, not as a value", () => {
    expect(() => parseEnv({ ...validEnv, SHOPIFY_API_SECRET: "" })).toThrow(/SHOPIFY_API_SECRET/);
  });

  it("names each malformed variable", () => {
    const attempt = () =>
      parseEnv({
        ...validEnv,
        SHOPIFY_APP_URL: "not a url",
        DATABASE_URL: "mysql://nope",
        CONVOT_APP_KEY: "app_abcdefgh12",
        CONVOT_IDENTITY_SECRET: "tooshort",
      });
    expect(attempt).toThrow(/SHOPIFY_APP_URL/);
    expect(attempt).toThrow(/DATABASE_URL/);
    expect(attempt).toThrow(/CONVOT_IDENTITY_SECRET: must be 64 lowercase hex characters/);
  });

  it("requires the Shopify app's own Convot app key and identity secret", () => {
    const { CONVOT_APP_KEY: _k, CONVOT_IDENTITY_SECRET: _s, ...rest } = validEnv;
    expect(() => parseEnv(rest)).toThrow(/CONVOT_APP_KEY: is required[\s\S]*CONVOT_IDENTITY_SECRET: is required/);
  });
});
