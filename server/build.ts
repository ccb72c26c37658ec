// What the server reads of a Remix build: its routes (to dispatch API and webhook requests
// directly and to label every request), where its assets are, and the app's operating hooks.
import type { FinishedRequest } from "../app/ops/operations.server.ts";

/** A resource route's loader or action, called as Remix calls it. */
export type RouteHandler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;
export type RouteModule = { default?: unknown; loader?: RouteHandler; action?: RouteHandler };
/** A build's route manifest, reduced to what matching reads. */
export type Routes = Record<string, { path?: string; parentId?: string; index?: boolean; module: RouteModule }>;

type LogFields = Record<string, unknown>;
export type Logger = {
  error(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
};

/** The app's hooks (app/ops/operations.server.ts), exported by the build's entry module. */
export type Operations = {
  logger: Logger;
  requestStarted(): void;
  requestFinished(request: FinishedRequest): void;
  startDraining(): void;
  closeDatabases(): Promise<void>;
};

/** For a build without the app's hooks (tests' stand-in builds): errors to the console, nothing else. */
export const CONSOLE_LOGGER: Logger = {
  error: (fields, message) => console.error(`[server] ${message}:`, fields),
  warn: (fields, message) => console.warn(`[server] ${message}:`, fields),
  info: () => {},
};

const NO_OPERATIONS: Operations = {
  logger: CONSOLE_LOGGER,
  requestStarted() {},
  requestFinished() {},
  startDraining() {},
  async closeDatabases() {},
};

export const operationsOf = (build: { entry?: unknown }): Operations =>
  (build.entry as { module?: { operations?: Operations } } | undefined)?.module?.operations ?? NO_OPERATIONS;
