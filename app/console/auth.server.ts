// The console's HTTP side of sign-in: the signed, httpOnly session cookie, requiring an
// operator on every console page, and CSRF checks on every console form post.
import { timingSafeEqual } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { env } from "../env.server";
import { parseConsoleId } from "./ids";
import { appForOperator } from "./merchant-directory.server";
import { SESSION_MS, findConsoleSession, type ConsoleSession } from "./operators.server";

export const consoleCookie = createCookie("convot_console", {
  httpOnly: true,
  sameSite: "lax",
  // "/" and not "/console": Remix's data requests for /console are /console.data.
  path: "/",
  secrets: [env.SESSION_SECRET],
  maxAge: SESSION_MS / 1000,
});

/** Secure whenever the request arrived over HTTPS (directly or through a proxy that says so). */
export function consoleCookieHeader(request: Request, value: string, options: { maxAge?: number } = {}) {
  const https = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0].trim() === "https";
  return consoleCookie.serialize(value, { ...options, secure: https });
}

export async function readConsoleSession(request: Request): Promise<ConsoleSession | null> {
  const id = await consoleCookie.parse(request.headers.get("cookie"));
  return typeof id === "string" ? findConsoleSession(id) : null;
}

/** The signed-in operator, or a redirect to the login page that comes back here. */
export async function requireOperator(request: Request): Promise<ConsoleSession> {
  const session = await readConsoleSession(request);
  if (session) return session;
  const url = new URL(request.url);
  throw redirect(`/console/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

/** The signed-in operator and the app named in the URL, which must be of their organization (else 404). */
export async function requireConsoleApp(request: Request, rawAppId: string | undefined) {
  const session = await requireOperator(request);
  const app = await appForOperator(session.operator.organizationId, parseConsoleId(rawAppId)).catch(() => {
    throw new Response("Not found", { status: 404 });
  });
  return { session, operator: session.operator, app };
}

/** A form post must come from our own pages: same origin, and (once signed in) the session's token. */
export function checkFormOrigin(request: Request) {
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(request.url).origin && origin !== new URL(env.SHOPIFY_APP_URL).origin) {
    throw new Response("Cross-site form posts are refused.", { status: 403 });
  }
}

export async function requireCsrf(request: Request, form: FormData, session: ConsoleSession) {
  checkFormOrigin(request);
  const given = Buffer.from(String(form.get("csrf") ?? ""));
  const expected = Buffer.from(session.csrfToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new Response("This form has expired: reload the page and try again.", { status: 403 });
}

/** Only same-site paths under /console may be a post-login destination (no open redirect). */
export function safeNext(next: string | null): string {
  // (No control characters either: a CR or LF would make the Location header itself invalid.)
  return next && /^\/console(\/|$|\?)/.test(next) && !next.startsWith("//") && !/[\u0000-\u001f\u007f]/.test(next) ? next : "/console";
}
