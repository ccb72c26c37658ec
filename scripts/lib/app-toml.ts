// Reads shopify.app.toml for the scripts and tests that must agree with it.
import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

export const APP_TOML = path.resolve(import.meta.dirname, "../../shopify.app.toml");

type AppToml = {
  webhooks?: {
    api_version?: string;
    subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri: string }[];
  };
  app_proxy?: { url: string; subpath: string; prefix: string };
};

export function readAppToml(file = APP_TOML): AppToml {
  return parse(fs.readFileSync(file, "utf8")) as AppToml;
}

export function readTomlApiVersion(file = APP_TOML): string {
  const version = readAppToml(file).webhooks?.api_version;
  if (!version) throw new Error(`${path.basename(file)} has no [webhooks] api_version`);
  return version;
}

/** Every (topic, uri) pair the [webhooks] section subscribes to, compliance topics included. */
export function readTomlSubscriptions(file = APP_TOML): { topic: string; uri: string }[] {
  return (readAppToml(file).webhooks?.subscriptions ?? []).flatMap((subscription) =>
    [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])].map((topic) => ({
      topic,
      uri: subscription.uri,
    })),
  );
}
