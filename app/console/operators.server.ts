// Console operators and their sign-in: creation, login with slow-down and lock-out,
// sessions that logout deletes. Knows nothing of HTTP (cookies live in app/console/cookie.server.ts).
import { randomBytes } from "node:crypto";
import { sql } from "../db.server";
import { isUniqueViolation, toDate } from "../db/sql.server";
import { ConvotError, invalid, type ErrorDetail } from "../convot/errors";
import { MIN_PASSWORD_LENGTH, burnPasswordCheck, hashPassword, verifyPassword } from "./passwords.server";

export const ROLES = ["owner", "agent"] as const;
export type Role = (typeof ROLES)[number];
export type Operator = { id: number; organizationId: number; email: string; role: Role };

export const LOCKOUT = { maxFailures: 5, lockMs: 15 * 60_000 } as const;
export const SESSION_MS = 12 * 60 * 60_000;

export async function createOperator(input: { organizationId: number; email: string; password: string; role: string }): Promise<Operator> {
  const problems: ErrorDetail[] = [];
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push({ field: "email", message: "must be an email address" });
  if (input.password.length < MIN_PASSWORD_LENGTH) problems.push({ field: "password", message: `must be at least ${MIN_PASSWORD_LENGTH} characters` });
  if (!(ROLES as readonly string[]).includes(input.role)) problems.push({ field: "role", message: `must be one of ${ROLES.join(", ")}` });
  if (problems.length) throw invalid(problems);
  try {
    const row = await sql.one<{ id: number }>(
      `INSERT INTO "Operator" ("organizationId", "email", "passwordHash", "role", "createdAt") VALUES (?, ?, ?, ?, ?) RETURNING "id"`,
      [input.organizationId, email, await hashPassword(input.password), input.role, new Date()],
    );
    return { id: Number(row!.id), organizationId: input.organizationId, email, role: input.role as Role };
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid([{ field: "email", message: "is already an operator" }]);
    throw error;
  }
}

export type LoginResult = { ok: true; operator: Operator } | { ok: false; reason: "invalid" | "locked"; failures: number };

/**
 * Checks credentials. Each failure counts; the caller slows the answer down by `loginDelayMs`
 * and after LOCKOUT.maxFailures the account is locked for LOCKOUT.lockMs, right password or not.
 */
export async function login(emailInput: string, password: string, now = new Date()): Promise<LoginResult> {
  const email = emailInput.trim().toLowerCase();
  const row = await sql.one<{ id: number; organizationId: number; email: string; role: Role; passwordHash: string; failedLogins: number; lockedUntil: unknown }>(
    `SELECT "id", "organizationId", "email", "role", "passwordHash", "failedLogins", "lockedUntil" FROM "Operator" WHERE "email" = ?`,
    [email],
  );
  if (!row) {
    await burnPasswordCheck(password);
    return { ok: false, reason: "invalid", failures: 1 };
  }
  if (row.lockedUntil && toDate(row.lockedUntil) > now) return { ok: false, reason: "locked", failures: Number(row.failedLogins) };
  if (!(await verifyPassword(password, row.passwordHash))) {
    const failures = Number(row.failedLogins) + 1;
    const lock = failures >= LOCKOUT.maxFailures ? new Date(now.getTime() + LOCKOUT.lockMs) : null;
    await sql.run(`UPDATE "Operator" SET "failedLogins" = ?, "lockedUntil" = ? WHERE "id" = ?`, [failures, lock, row.id]);
    return { ok: false, reason: lock ? "locked" : "invalid", failures };
  }
  await sql.run(`UPDATE "Operator" SET "failedLogins" = 0, "lockedUntil" = NULL, "lastLoginAt" = ? WHERE "id" = ?`, [now, row.id]);
  return { ok: true, operator: { id: Number(row.id), organizationId: Number(row.organizationId), email: row.email, role: row.role } };
}

/** How long to hold a failed login's answer: doubling from 250 ms, at most 4 s. */
export const loginDelayMs = (failures: number) => Math.min(250 * 2 ** Math.max(0, failures - 1), 4000);

export async function createConsoleSession(operatorId: number, now = new Date()): Promise<{ id: string; csrfToken: string }> {
  const session = { id: randomBytes(32).toString("base64url"), csrfToken: randomBytes(24).toString("base64url") };
  await sql.run(`INSERT INTO "ConsoleSession" ("id", "operatorId", "csrfToken", "expiresAt", "createdAt") VALUES (?, ?, ?, ?, ?)`, [
    session.id,
    operatorId,
    session.csrfToken,
    new Date(now.getTime() + SESSION_MS),
    now,
  ]);
  return session;
}

export type ConsoleSession = { id: string; csrfToken: string; operator: Operator };

export async function findConsoleSession(id: string, now = new Date()): Promise<ConsoleSession | null> {
  const row = await sql.one<{ csrfToken: string; expiresAt: unknown; operatorId: number; organizationId: number; email: string; role: Role }>(
    `SELECT s."csrfToken", s."expiresAt", o."id" AS "operatorId", o."organizationId", o."email", o."role"
     FROM "ConsoleSession" s JOIN "Operator" o ON o."id" = s."operatorId" WHERE s."id" = ?`,
    [id],
  );
  if (!row || toDate(row.expiresAt) <= now) return null;
  return {
    id,
    csrfToken: row.csrfToken,
    operator: { id: Number(row.operatorId), organizationId: Number(row.organizationId), email: row.email, role: row.role },
  };
}

export async function deleteConsoleSession(id: string): Promise<void> {
  await sql.run(`DELETE FROM "ConsoleSession" WHERE "id" = ?`, [id]);
}

export function assertOwner(operator: Operator) {
  if (operator.role !== "owner") throw new ConvotError("forbidden", "only an owner can do this");
}
