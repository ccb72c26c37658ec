// Signing in to the console: check the credentials, slow down failures, open a session.
import { createConsoleSession, login, loginDelayMs, LOCKOUT } from "./operators.server";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function signIn(email: string, password: string): Promise<{ ok: true; sessionId: string } | { ok: false; message: string }> {
  const result = await login(email, password);
  if (result.ok) return { ok: true, sessionId: (await createConsoleSession(result.operator.id)).id };
  await sleep(loginDelayMs(result.failures));
  return {
    ok: false,
    message:
      result.reason === "locked"
        ? `Too many failed attempts: this account is locked for ${LOCKOUT.lockMs / 60_000} minutes.`
        : "That email and password do not match.",
  };
}
