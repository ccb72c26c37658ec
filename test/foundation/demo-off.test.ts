// Outside demo mode the demo stand-ins do not exist. This file's app boots with DEMO_MODE off:
// the environment is read when the build is first imported, which happens below.
process.env.DEMO_MODE = "false";

import { describe, expect, it } from "vitest";
import { request } from "../support/app";

describe("demo stand-ins outside demo mode", () => {
  it("answers 404 for /demo, its Inbox and live cursor, and /preview", async () => {
    for (const path of ["/demo", "/demo/inbox", "/demo/live?after=0", "/preview"]) {
      expect((await request(path)).status, path).toBe(404);
    }
    // The rest of the app is there.
    expect((await request("/")).status).toBe(200);
  });
});
