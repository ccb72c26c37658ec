// Writes .env from .env.example with fresh random secrets, unless .env exists.
import fs from "node:fs";
import path from "node:path";
import { formatApiKeyToken, newApiKeyParts, newAppKey, newIdentitySecret, randomBase62 } from "../app/apps/secrets";

const root = path.resolve(import.meta.dirname, "..");
const target = path.join(root, ".env");
if (fs.existsSync(target)) {
  console.log("› .env exists: keeping it");
} else {
  const apiKey = newApiKeyParts();
  const text = fs
    .readFileSync(path.join(root, ".env.example"), "utf8")
    .replace("__random_hex_32__", randomBase62(32))
    .replace("__random_session__", randomBase62(48))
    .replace("__random_app_key__", newAppKey())
    .replace("__random_hex_64__", newIdentitySecret())
    .replace("__random_api_key__", formatApiKeyToken(apiKey.id, apiKey.secret));
  fs.writeFileSync(target, text, { mode: 0o600 });
  console.log("› wrote .env with fresh demo secrets");
}
