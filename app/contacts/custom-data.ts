// The custom-data merge rules (Convot docs): a trusted write sets what it sends and `null`
// deletes; an untrusted write only fills keys that are blank; a replace makes the stored
// object exactly what was sent. Pure: given what is stored and what arrived, what changes.
import { invalid } from "../errors";
import { LIMITS, type CustomDataPatch, type CustomValue } from "./validation";

export type CustomDataPlan = { set: Record<string, CustomValue>; remove: string[] };

export type MergeMode = "trusted" | "untrusted" | "replace";

/**
 * @param restate with "trusted": also rewrite keys whose value is unchanged, so their assertedAt
 *   moves to this write's time (a source of timestamped facts, like webhooks, must record that
 *   the value was still true then, or a later-arriving older fact would overwrite it).
 */
export function planCustomData(
  stored: Record<string, CustomValue>,
  patch: CustomDataPatch,
  mode: MergeMode,
  restate = false,
  options: { enforceLimit?: boolean } = {},
): CustomDataPlan {
  const set: Record<string, CustomValue> = {};
  const remove: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const has = Object.hasOwn(stored, key);
    if (value === null) {
      if (has && mode !== "untrusted") remove.push(key);
    } else if (mode === "untrusted") {
      if (!has) set[key] = value;
    } else if (!has || stored[key] !== value || restate) {
      set[key] = value;
    }
  }
  if (mode === "replace") {
    for (const key of Object.keys(stored)) if (!Object.hasOwn(patch, key)) remove.push(key);
  }
  if (options.enforceLimit !== false) assertWithinKeyLimit(stored, set, remove, mode === "untrusted");
  return { set, remove };
}

/**
 * An unverified write fills blanks only while the contact holds fewer than half the key limit:
 * anyone can send an unsigned identify, and must not use up the keys the app's own server needs.
 */
function assertWithinKeyLimit(stored: Record<string, CustomValue>, set: Record<string, CustomValue>, remove: string[], untrusted: boolean) {
  const limit = untrusted ? LIMITS.untrustedCustomDataKeys : LIMITS.customDataKeys;
  const added = Object.keys(set).filter((key) => !Object.hasOwn(stored, key));
  const total = Object.keys(stored).length + added.length - remove.length;
  if (total <= limit || added.length === 0) return;
  const over = added.slice(Math.max(0, added.length - (total - limit)));
  throw invalid(
    over.map((key) => ({
      field: `custom_data.${key}`,
      message: untrusted
        ? `would take this contact past ${limit} custom data keys, as far as an unverified identify may fill them: sign it (user_hash) to write more`
        : `would exceed ${limit} custom data keys for this contact in this app (it would have ${total})`,
    })),
  );
}

export const isEmptyPlan = (plan: CustomDataPlan) => plan.remove.length === 0 && Object.keys(plan.set).length === 0;
