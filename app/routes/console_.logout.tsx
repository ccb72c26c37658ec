import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { consoleCookieHeader, readConsoleSession, requireCsrf } from "../console/auth.server";
import { deleteConsoleSession } from "../console/operators.server";

export const loader = () => redirect("/console");

export const action = async ({ request }: ActionFunctionArgs) => {
  const session = await readConsoleSession(request);
  if (session) {
    await requireCsrf(request, await request.formData(), session);
    await deleteConsoleSession(session.id);
  }
  return redirect("/console/login", { headers: { "Set-Cookie": await consoleCookieHeader(request, "", { maxAge: 0 }) } });
};
