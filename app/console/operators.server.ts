// Console operators: creation, lookup within an organization, the password check, sessions that logout deletes.
// Knows nothing of HTTP (the session cookie is app/console/auth.server.ts's).
import { randomBytes } from "node:crypto";
import { sql } from "../db.server";
import { isUniqueViolation, toDate } from "../db/sql.server";
import { ConvotError, invalid, type ErrorDetail } from "../errors";
import { containsNul } from "../contacts/validation";
import { MIN_PASSWORD_LENGTH, burnPasswordCheck, hashPassword, verifyPassword } from "./passwords.server";

export const ROLES = ["owner", "agent"] as const;
export type Role = (typeof ROLES)[number];
export type Operator = { id: number; organizationId: number; email: string; role: Role };

export const SESSION_MS = 12 * 60 * 60_000;

/** An email as operators are stored, and as sign-in tries are counted. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function createOperator(input: { organizationId: number; email: string; password: string; role: string }): Promise<Operator> {
  const problems: ErrorDetail[] = [];
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push({ field: "email", message: "must be an email address" });
  if (input.password.length < MIN_PASSWORD_LENGTH)
    problems.push({ field: "password", message: `must be at least ${MIN_PASSWORD_LENGTH} characters` });
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

/** The operator with this id, when they belong to the organization. */
export async function findOperatorInOrganization(organizationId: number, operatorId: number): Promise<Operator | null> {
  const row = await sql.one<{ id: number; email: string; role: Role }>(
    `SELECT "id", "email", "role" FROM "Operator" WHERE "id" = ? AND "organizationId" = ?`,
    [operatorId, organizationId],
  );
  return row ? { id: Number(row.id), organizationId, email: row.email, role: row.role } : null;
}

/**
 * The operator these credentials are of, or null. An unknown email costs a password check
 * too, so that both answers take as long. Counting tries is the caller's (sign-in.server.ts).
 */
export async function checkOperatorPassword(email: string, password: string, now = new Date()): Promise<Operator | null> {
  // No operator's email holds a NUL (PostgreSQL would refuse to even look one up).
  const row = containsNul(email)
    ? undefined
    : await sql.one<{ id: number; organizationId: number; email: string; role: Role; passwordHash: string }>(
        `SELECT "id", "organizationId", "email", "role", "passwordHash" FROM "Operator" WHERE "email" = ?`,
        [normalizeEmail(email)],
      );
  if (!row) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(password, row.passwordHash))) return null;
  await sql.run(`UPDATE "Operator" SET "lastLoginAt" = ? WHERE "id" = ?`, [now, row.id]);
  return { id: Number(row.id), organizationId: Number(row.organizationId), email: row.email, role: row.role };
}

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
