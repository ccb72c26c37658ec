import fs from "node:fs";
import path from "node:path";
import { ENGINE, ROOT, createTemplate, dropTestDatabases } from "./database";

export async function setup() {
  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) {
    throw new Error("build/index.js is missing: run the suite with `npm test` (it builds first)");
  }
  console.log(`\n  database engine under test: ${ENGINE}\n`);
  await createTemplate();
}

export async function teardown() {
  await dropTestDatabases();
}
