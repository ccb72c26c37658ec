// trial_ended: a periodic sweep records it for merchants whose trial end has passed while they
// are still subscribed. Idempotent: one event per trial, whoever runs the sweep, however often.
import { sql } from "../db.server";
import { appendEvent } from "../contacts/events.server";
import { FREE_PLAN } from "./billing";
import { merchantApp } from "./merchant-contact.server";

export async function sweepEndedTrials(now = new Date()): Promise<number> {
  const app = await merchantApp(sql);
  const due = await sql.all<{ appContactId: number; endsAt: string; plan: string }>(
    `SELECT t."appContactId", t."value" AS "endsAt", p."value" AS "plan"
     FROM "CustomDataValue" t JOIN "CustomDataValue" p ON p."appContactId" = t."appContactId" AND p."key" = 'plan'
     WHERE t."appId" = ? AND t."key" = 'trial_ends_at' AND p."value" <> ?`,
    [app.id, FREE_PLAN],
  );
  let recorded = 0;
  for (const row of due) {
    const endsAt = new Date(row.endsAt);
    if (Number.isNaN(endsAt.getTime()) || endsAt > now) continue;
    const { created } = await appendEvent(sql, {
      appId: app.id,
      appContactId: Number(row.appContactId),
      name: "trial_ended",
      occurredAt: endsAt,
      properties: { plan: row.plan },
      idempotencyKey: `trial_ended:${row.appContactId}:${endsAt.toISOString()}`,
    });
    if (created) recorded++;
  }
  return recorded;
}
