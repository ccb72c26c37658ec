// Import first in a script that imports app modules: loads .env (variables already in
// the environment win) before app/env.server.ts parses process.env.
import fs from "node:fs";
import path from "node:path";

const file = path.resolve(import.meta.dirname, "../../.env");
if (fs.existsSync(file)) process.loadEnvFile(file);
