// The CSV export of an app's contacts: identity columns, then one column per custom-data key.
// Streamed in pages (keyset, newest first), so 100,000 contacts never sit in memory at once.
import { sql } from "../db.server";
import { toDate } from "../db/sql.server";

const PAGE = 1000;
const IDENTITY_COLUMNS = ["id", "external_id", "email", "name", "company", "phone", "verified", "created_at"];

/** A CSV field: quoted when needed, and defused when a spreadsheet would run it as a formula. */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function contactsCsv(appId: number): Promise<ReadableStream<Uint8Array>> {
  const keys = (await sql.all<{ key: string }>(`SELECT DISTINCT "key" FROM "CustomDataValue" WHERE "appId" = ? ORDER BY "key"`, [appId])).map(
    (r) => r.key,
  );
  const encoder = new TextEncoder();
  let before = 2_147_483_647; // the largest id an INTEGER column holds
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${[...IDENTITY_COLUMNS, ...keys].map(csvField).join(",")}\r\n`));
        return;
      }
      const rows = await sql.all<Record<string, unknown>>(
        `SELECT ac."id" AS "acId", c."id", c."externalId", c."email", c."name", c."company", c."phone", ac."verifiedAt", c."createdAt"
         FROM "AppContact" ac JOIN "Contact" c ON c."id" = ac."contactId"
         WHERE ac."appId" = ? AND ac."id" < ? ORDER BY ac."id" DESC LIMIT ?`,
        [appId, before, PAGE],
      );
      if (rows.length === 0) return controller.close();
      before = Number(rows[rows.length - 1].acId);
      const ids = rows.map((r) => Number(r.acId));
      const values = await sql.all<{ appContactId: number; key: string; value: string }>(
        `SELECT "appContactId", "key", "value" FROM "CustomDataValue" WHERE "appContactId" IN (${ids.map(() => "?").join(", ")})`,
        ids,
      );
      const byContact = new Map<number, Map<string, string>>();
      for (const v of values) {
        const id = Number(v.appContactId);
        if (!byContact.has(id)) byContact.set(id, new Map());
        byContact.get(id)!.set(v.key, v.value);
      }
      const lines = rows.map((r) => {
        const custom = byContact.get(Number(r.acId));
        const identity = [
          r.id,
          r.externalId,
          r.email,
          r.name,
          r.company,
          r.phone,
          r.verifiedAt ? "true" : "false",
          toDate(r.createdAt).toISOString(),
        ];
        return [...identity, ...keys.map((key) => custom?.get(key) ?? "")].map(csvField).join(",");
      });
      controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
    },
  });
}
