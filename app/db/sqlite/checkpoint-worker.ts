// The SQLite engine's WAL checkpointer, run on a worker thread with its own connection.
//
// Checkpoints copy the log back into the database and fsync it: several milliseconds that would
// otherwise stall the event loop every few hundred commits. The worker runs a PASSIVE checkpoint
// every `everyMs`, which never waits for the app's reads or writes. Under constant writes, though,
// a pass never ends fully caught up (a commit always lands while it runs), and SQLite restarts the
// log from its start only after a checkpoint that copied everything with no commit since: the file
// would grow without bound. So once the log holds more than `restartFrames`, the worker closes the
// gap (passes back to back until one finds only `closeFrames` new frames) and then posts
// "catch-up": the writer, the only one, runs one PASSIVE checkpoint itself between two of its
// batches; it copies the few frames committed since, no commit can follow it, and the next commit
// starts the log over (journal_size_limit then trims the file). Neither side waits on a lock; a
// reader holding a snapshot for long (a backup, another process) still keeps the log from
// restarting until it finishes, as with any SQLite database.
import type BetterSqlite3 from "better-sqlite3";

export type CheckpointWorkerData = {
  file: string;
  everyMs: number;
  restartFrames: number;
  closeFrames: number;
  /** better-sqlite3's resolved path: the worker loads the same driver as the app. */
  driver: string;
};

type CheckpointResult = { busy: number; log: number; checkpointed: number };

/**
 * The worker's program. Its source text is what the worker runs (`new Worker(source, { eval })`),
 * so it refers to nothing outside itself: it reaches Node's modules through
 * process.getBuiltinModule, not through imports the bundler would rewrite.
 */
export function checkpointWorkerMain(): void {
  const threads = process.getBuiltinModule("node:worker_threads");
  const moduleApi = process.getBuiltinModule("node:module");
  const data = threads.workerData as CheckpointWorkerData;
  const Database = moduleApi.createRequire(data.driver)(data.driver) as typeof BetterSqlite3;
  const db = new Database(data.file);
  let asked = 0;
  const pass = () => (db.pragma("wal_checkpoint(PASSIVE)") as CheckpointResult[])[0];
  setInterval(() => {
    try {
      const first = pass();
      let { checkpointed } = first;
      if (first.log > data.restartFrames && Date.now() - asked > 250) {
        // Bounded in time: a worker starved of CPU must not delay the catch-up while the log grows.
        const until = Date.now() + 30;
        for (let copied = Infinity; copied > data.closeFrames && Date.now() < until;) {
          const before = checkpointed;
          ({ checkpointed } = pass());
          copied = checkpointed >= before ? checkpointed - before : checkpointed;
        }
        asked = Date.now();
        threads.parentPort?.postMessage("catch-up");
      }
    } catch {
      // A busy or locked pass is retried on the next tick.
    }
  }, data.everyMs);
}
