// The "JobRun" table: one row per periodic job and schedule slot, inserted by the instance that
// runs it (the insert is the claim: a unique key, not a read-then-write), then its outcome.
import { sql } from "../db.server";
import { toDate } from "../db/sql.server";

export type JobOutcome = "running" | "succeeded" | "failed";

/** How often a running job renews its heartbeat. */
export const JOB_HEARTBEAT_MS = 30_000;

/**
 * What became of a run: a "running" row whose heartbeat stopped (its instance died or was
 * stopped mid-run) was interrupted; the job's next slot runs it again.
 */
export function runState(run: Pick<JobRun, "outcome" | "heartbeatAt">, now = new Date()): JobOutcome | "interrupted" {
  if (run.outcome === "running" && now.getTime() - run.heartbeatAt.getTime() > 3 * JOB_HEARTBEAT_MS) return "interrupted";
  return run.outcome;
}

export type JobRun = {
  name: string;
  slot: Date;
  instance: string;
  startedAt: Date;
  heartbeatAt: Date;
  finishedAt: Date | null;
  outcome: JobOutcome;
  error: string | null;
  attempts: number;
};

const COLUMNS = `"name", "slot", "instance", "startedAt", "heartbeatAt", "finishedAt", "outcome", "error", "attempts"`;

function toRun(row: Record<string, unknown>): JobRun {
  return {
    name: String(row.name),
    slot: toDate(row.slot),
    instance: String(row.instance),
    startedAt: toDate(row.startedAt),
    heartbeatAt: toDate(row.heartbeatAt),
    finishedAt: row.finishedAt === null || row.finishedAt === undefined ? null : toDate(row.finishedAt),
    outcome: row.outcome as JobOutcome,
    error: (row.error as string | null) ?? null,
    attempts: Number(row.attempts),
  };
}

/** Claims the job's slot for this instance; false when another instance (or this one) already has. */
export async function claimJobSlot(name: string, slot: Date, instance: string, now = new Date()): Promise<boolean> {
  const { changes } = await sql.run(
    `INSERT INTO "JobRun" ("name", "slot", "instance", "startedAt", "heartbeatAt", "outcome", "attempts")
     VALUES (?, ?, ?, ?, ?, 'running', 1) ON CONFLICT DO NOTHING`,
    [name, slot, instance, now, now],
  );
  return changes === 1;
}

/** The run is alive (and on its `attempts`th try). */
export async function recordJobHeartbeat(name: string, slot: Date, attempts: number, now = new Date()): Promise<void> {
  await sql.run(`UPDATE "JobRun" SET "heartbeatAt" = ?, "attempts" = ? WHERE "name" = ? AND "slot" = ?`, [now, attempts, name, slot]);
}

export async function finishJobRun(
  name: string,
  slot: Date,
  result: { outcome: "succeeded" | "failed"; error: string | null; attempts: number },
  now = new Date(),
): Promise<void> {
  await sql.run(
    `UPDATE "JobRun" SET "finishedAt" = ?, "heartbeatAt" = ?, "outcome" = ?, "error" = ?, "attempts" = ? WHERE "name" = ? AND "slot" = ?`,
    [now, now, result.outcome, result.error, result.attempts, name, slot],
  );
}

/** Each job's latest run, by name. */
export async function latestJobRuns(): Promise<JobRun[]> {
  const rows = await sql.all(
    `SELECT ${COLUMNS} FROM "JobRun" r WHERE "slot" = (SELECT MAX("slot") FROM "JobRun" WHERE "name" = r."name") ORDER BY "name"`,
  );
  return rows.map(toRun);
}

/** Forgets a job's runs of slots before `before` (the table keeps a few weeks of history). */
export async function pruneJobRuns(name: string, before: Date): Promise<number> {
  const { changes } = await sql.run(`DELETE FROM "JobRun" WHERE "name" = ? AND "slot" < ?`, [name, before]);
  return changes;
}
