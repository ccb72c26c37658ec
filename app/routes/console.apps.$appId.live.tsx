import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireConsoleApp } from "../console/auth.server";
import { waitForAppActivity } from "../conversations/long-polls.server";
import { liveCursorResponse } from "../http/live";
import { holdLongPoll } from "../ops/drain.server";

// GET ?after=<message id>&wait=<s>: answers when the app's newest message passes `after` (the inbox refreshes).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { app } = await requireConsoleApp(request, params.appId);
  return liveCursorResponse(request, (after, waitMs) =>
    holdLongPoll(request.signal, "inbox", (signal) => waitForAppActivity(app.id, after, waitMs, signal)),
  );
};
