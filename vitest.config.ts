import { defineConfig } from "vitest/config";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

// One run per engine: TEST_DATABASE=sqlite (default) or postgresql. Each test file gets
// its own freshly migrated database (test/support/database.ts).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/per-file-database.ts"],
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET_KEY,
      SHOPIFY_APP_URL: APP_URL,
      SCOPES: "read_themes",
      CONVOT_APP_KEY: "app_TestShopifyApp0001",
      CONVOT_IDENTITY_SECRET: "5f1b0c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
      CONVOT_API_KEY: "ck_TestConfigured01:TestConfiguredSecret0123456789",
      SESSION_SECRET: "test-session-secret-0123456789abcdef",
      DEMO_MODE: "true",
    },
  },
});
