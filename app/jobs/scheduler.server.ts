// Periodic jobs that run once per cluster. Every instance wakes at each of a job's schedule
// slots; only the one whose insert claims the slot in "JobRun" runs it (docs/decisions/025).
// A failed try is retried within the slot; the row records start, end, outcome and error,
// which the console's dashboard shows.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { recordJobRun } from "../ops/metrics.server";
import { claimJobSlot, finishJobRun, JOB_HEARTBEAT_MS, pruneJobRuns, recordJobHeartbeat } from "./job-runs.server";

export type Job = {
  /** Stable: the dashboard and the run history know the job by it. */
  name: string;
  /** Slots start at multiples of it since the epoch, the same on every instance. */
  everyMs: number;
  run: () => Promise<unknown>;
};

/** This process among the instances, as its runs record it. */
export const INSTANCE = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
/** Waits before the second and third tries of a failed run. */
const RETRY_MS = [5_000, 30_000];
/** How much history "JobRun" keeps. */
const HISTORY_MS = 30 * 86_400_000;

const jobs = new Map<string, Job>();
const timers = new Map<string, NodeJS.Timeout>();

/** Adds a job; startJobs() schedules it on this instance. */
export function registerJob(job: Job): void {
  if (jobs.has(job.name)) throw new Error(`a job named ${job.name} is already registered`);
  if (!(job.everyMs >= 1_000)) throw new Error(`job ${job.name}: everyMs must be at least 1000`);
  jobs.set(job.name, job);
}

export const registeredJobs = (): Job[] => [...jobs.values()];

export const slotOf = (job: Pick<Job, "everyMs">, at: number): Date => new Date(Math.floor(at / job.everyMs) * job.everyMs);

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Claims the job's slot at `now` and, when this instance got it, runs the job (retrying a
 * failure) and records how it went. Null: another instance has that slot.
 */
export async function runJobSlot(job: Job, options: { now?: Date; retryMs?: number[] } = {}): Promise<"succeeded" | "failed" | null> {
  const now = options.now ?? new Date();
  const retryMs = options.retryMs ?? RETRY_MS;
  const slot = slotOf(job, now.getTime());
  if (!(await claimJobSlot(job.name, slot, INSTANCE, now))) return null;
  console.log(`[jobs] ${job.name}: running the slot of ${slot.toISOString()} on ${INSTANCE}`);
  let attempts = 1;
  let failure: unknown = null;
  const heartbeat = setInterval(() => {
    recordJobHeartbeat(job.name, slot, attempts).catch((error) => console.error(`[jobs] ${job.name}: heartbeat failed:`, error));
  }, JOB_HEARTBEAT_MS);
  heartbeat.unref();
  try {
    for (;;) {
      try {
        await job.run();
        failure = null;
        break;
      } catch (error) {
        failure = error;
        console.error(`[jobs] ${job.name}: try ${attempts} failed:`, error);
        if (attempts > retryMs.length) break;
        await sleep(retryMs[attempts - 1]);
        attempts++;
        await recordJobHeartbeat(job.name, slot, attempts).catch(() => {});
      }
    }
  } finally {
    clearInterval(heartbeat);
  }
  const outcome = failure === null ? "succeeded" : "failed";
  await finishJobRun(job.name, slot, { outcome, error: failure === null ? null : describe(failure), attempts });
  jobFinished(job.name, outcome);
  await pruneJobRuns(job.name, new Date(slot.getTime() - HISTORY_MS)).catch((error) =>
    console.error(`[jobs] pruning ${job.name}'s runs failed:`, error),
  );
  return outcome;
}

/** The one place a finished run is reported beyond its row: the job-runs metric. */
function jobFinished(name: string, outcome: "succeeded" | "failed"): void {
  recordJobRun(name, outcome);
}

/** Schedules every registered job on this instance: its current slot now, then each next one. */
export function startJobs(): void {
  for (const job of jobs.values()) if (!timers.has(job.name)) schedule(job, 0);
}

/** Stops scheduling (a draining instance): a run under way finishes, or is left to its heartbeat. */
export function stopJobs(): void {
  for (const timer of timers.values()) clearTimeout(timer);
  timers.clear();
}

function schedule(job: Job, delayMs: number) {
  const timer = setTimeout(async () => {
    try {
      await runJobSlot(job);
    } catch (error) {
      // The database itself failed (the claim or the record): the next slot tries again.
      console.error(`[jobs] ${job.name}: could not claim or record its run:`, error);
    }
    if (timers.get(job.name) !== timer) return; // stopped meanwhile
    const now = Date.now();
    schedule(job, slotOf(job, now).getTime() + job.everyMs - now);
  }, delayMs);
  // Scheduling alone never keeps a process alive.
  timer.unref();
  timers.set(job.name, timer);
}
