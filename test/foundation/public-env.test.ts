// Secrets never reach the browser: what a browser receives (every page a person opens, and the
// scripts the build ships) carries no environment value but those PUBLIC_ENV_KEYS lists.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { envSchema, PUBLIC_ENV_KEYS } from "../../app/env.server";
import { request } from "../support/app";
import { ROOT } from "../support/database";
import { adminApi, embeddedAdminUrl, mockShopify, type ShopifyMock } from "../support/shopify-admin";

const PRIVATE_KEYS = Object.keys(envSchema.shape).filter((key) => !(PUBLIC_ENV_KEYS as readonly string[]).includes(key));

/** The private values of this run that are distinctive enough to be found in a page (not "true" or "test"). */
function privateValues(): { key: string; value: string }[] {
  const values: { key: string; value: string }[] = [];
  for (const key of PRIVATE_KEYS) {
    const value = process.env[key];
    if (!value || value.length < 12) continue;
    values.push({ key, value });
    // An API key's secret half is the part that must not leak.
    const secret = /^ck_[^:]+:(.+)$/.exec(value)?.[1];
    if (secret) values.push({ key: `${key} (secret half)`, value: secret });
  }
  return values;
}

function expectNoPrivateValue(where: string, text: string) {
  for (const { key, value } of privateValues()) expect(text.includes(value), `${where} carries ${key}`).toBe(false);
}

let shopify: ShopifyMock | undefined;
afterEach(async () => {
  await shopify?.restore();
  shopify = undefined;
});

describe("the environment the browser sees", () => {
  it("has secrets to look for in this run", () => {
    const keys = privateValues().map(({ key }) => key);
    expect(keys).toEqual(expect.arrayContaining(["SHOPIFY_API_SECRET", "CONVOT_IDENTITY_SECRET", "SESSION_SECRET", "DATABASE_URL"]));
  });

  it("pages carry only the public variables", async () => {
    for (const page of ["/", "/demo", "/demo/inbox", "/preview", "/console/login", "/help"]) {
      const response = await request(page);
      expect(response.status, page).toBe(200);
      expectNoPrivateValue(page, await response.text());
    }
    const shop = `public-env-${Date.now()}.myshopify.com`;
    shopify = mockShopify(shop, adminApi(shop));
    for (const page of ["/app", "/app/inbox"]) {
      const response = await request(await embeddedAdminUrl(shop, page));
      expect(response.status, page).toBe(200);
      expectNoPrivateValue(page, await response.text());
    }
  });

  it("the scripts the build ships name no private variable", () => {
    const scripts = ["public/build", "public/widget"].flatMap((dir) =>
      fs
        .readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".js"))
        .map((entry) => path.join(entry.parentPath, entry.name)),
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const text = fs.readFileSync(file, "utf8");
      for (const key of PRIVATE_KEYS) expect(text.includes(key), `${path.relative(ROOT, file)} names ${key}`).toBe(false);
    }
  });
});
