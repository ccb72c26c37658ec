import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, Outlet, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { AppProvider, Button, InlineStack, Page, Text } from "@shopify/polaris";
import english from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { requireOperator } from "../console/auth.server";

export const meta: MetaFunction = () => [{ title: "Convot console" }];

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// Every console page: a signed-in operator, or the login page.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { operator, csrfToken } = await requireOperator(request);
  return { email: operator.email, role: operator.role, csrfToken };
};

export default function Console() {
  const { email, role, csrfToken } = useLoaderData<typeof loader>();
  return (
    <AppProvider i18n={english}>
      <header style={{ borderBottom: "1px solid #e3e3e3", background: "#fff", padding: "10px 24px" }}>
        <InlineStack align="space-between" blockAlign="center">
          <Link to="/console" style={{ textDecoration: "none", color: "inherit" }}>
            <Text as="span" variant="headingMd">
              Convot console
            </Text>
          </Link>
          <InlineStack gap="300" blockAlign="center">
            <Text as="span" tone="subdued">{`${email} · ${role}`}</Text>
            <Form method="post" action="/console/logout">
              <input type="hidden" name="csrf" value={csrfToken} />
              <Button submit variant="plain">
                Log out
              </Button>
            </Form>
          </InlineStack>
        </InlineStack>
      </header>
      <main>
        <Outlet />
      </main>
    </AppProvider>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <AppProvider i18n={english}>
      <Page title={notFound ? "Not found" : "Something went wrong"}>
        <Text as="p">{notFound ? "There is nothing here, or it belongs to another organization." : "The error has been logged."}</Text>
      </Page>
    </AppProvider>
  );
}
