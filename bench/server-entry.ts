// The server entry a bench starts in a checkout: server/index.ts, or server.js in a checkout that
// predates it (SERVER_ROOT in an A/B run).
import fs from "node:fs";
import path from "node:path";

export const serverEntry = (root: string): string => (fs.existsSync(path.join(root, "server/index.ts")) ? "server/index.ts" : "server.js");
