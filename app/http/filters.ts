// Query-string filters of the contacts list: external_id, email, custom_data.<key>=<value>.
import type { ContactFilters } from "../contacts/contacts-in-app.server";
import { ConvotError, type ErrorDetail } from "../errors";

const KNOWN = new Set(["external_id", "email", "page", "per_page"]);
const MAX_CUSTOM_FILTERS = 10;

export function parseContactFilters(url: URL): ContactFilters {
  const filters: ContactFilters = { customData: {} };
  const problems: ErrorDetail[] = [];
  for (const [name, value] of url.searchParams) {
    if (name === "external_id") filters.externalId = value;
    else if (name === "email") filters.email = value;
    else if (name.startsWith("custom_data.")) {
      const key = name.slice("custom_data.".length);
      if (!/^[a-z][a-z0-9_-]{0,63}$/.test(key)) problems.push({ field: name, message: "names an invalid custom data key" });
      else filters.customData![key] = value;
    } else if (!KNOWN.has(name)) {
      problems.push({ field: name, message: "is not a filter (use external_id, email, custom_data.<key>, page, per_page)" });
    }
  }
  if (Object.keys(filters.customData ?? {}).length > MAX_CUSTOM_FILTERS) {
    problems.push({ field: "custom_data", message: `at most ${MAX_CUSTOM_FILTERS} custom_data filters at once` });
  }
  if (problems.length) throw new ConvotError("unprocessable_entity", `${problems[0].field} ${problems[0].message}`, problems);
  return filters;
}
