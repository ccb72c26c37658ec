import fs from "node:fs";
import path from "node:path";
import { ENGINE, ROOT, createTemplate, dropTestDatabases } from "./database";

/** The newest modification time of the files under `dir` (recursively). */
function newestIn(dir: string): { file: string; mtime: number } {
  let newest = { file: dir, mtime: 0 };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.parentPath.includes(`${path.sep}generated`)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const mtime = fs.statSync(file).mtimeMs;
    if (mtime > newest.mtime) newest = { file, mtime };
  }
  return newest;
}

/**
 * HTTP tests run the build (build/index.js, as the server does): a source edited after the last
 * build would be tested as it was before the edit. Refuse to run on a stale build.
 */
function assertBuildIsCurrent() {
  const build = path.join(ROOT, "build/index.js");
  if (!fs.existsSync(build)) throw new Error("build/index.js is missing: run the suite with `npm test` (it builds first)");
  const built = fs.statSync(build).mtimeMs;
  const source = newestIn(path.join(ROOT, "app"));
  if (source.mtime > built) {
    throw new Error(
      `build/ is older than ${path.relative(ROOT, source.file)}: the tests would run the code as it was before that edit. ` +
        "Run `npm run build` (or the whole suite with `npm test`, which builds first).",
    );
  }
}

export async function setup() {
  assertBuildIsCurrent();
  console.log(`\n  database engine under test: ${ENGINE}\n`);
  await createTemplate();
}

export async function teardown() {
  await dropTestDatabases();
}
