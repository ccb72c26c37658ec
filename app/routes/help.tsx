import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { helpCenterVisitor } from "../contacts/help-center.server";

export const meta: MetaFunction = () => [{ title: "Help · Convot" }];

// The app's help center: a visitor arriving from the widget with ?convot_identity=… is
// recognised; a tampered, expired or other-app token leaves them anonymous, with the reason.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  return helpCenterVisitor(url.searchParams.get("app"), url.searchParams.get("convot_identity"));
};

export default function Help() {
  const visitor = useLoaderData<typeof loader>();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "3rem auto", padding: "0 1rem" }}>
      <h1>Help center</h1>
      {visitor.identified ? (
        <p data-testid="visitor">
          Signed in as <strong>{visitor.name ?? visitor.email ?? `contact #${visitor.contactId}`}</strong>
        </p>
      ) : (
        <p data-testid="visitor">You are browsing anonymously{visitor.reason ? ` (${visitor.reason})` : ""}.</p>
      )}
    </main>
  );
}
