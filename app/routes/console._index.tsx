import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Card, EmptyState, Page } from "@shopify/polaris";
import { requireOperator } from "../console/auth.server";
import { appsOfOrganization } from "../console/merchant-directory.server";

export const meta: MetaFunction = () => [{ title: "Apps · Convot console" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { operator } = await requireOperator(request);
  const [first] = await appsOfOrganization(operator.organizationId);
  if (first) throw redirect(`/console/apps/${first.id}`);
  return null;
};

export default function ConsoleHome() {
  return (
    <Page title="Merchants">
      <Card>
        <EmptyState heading="No apps yet" image="">
          <p>Create one with npm run convot -- app create --name "My app"; its merchants appear here.</p>
        </EmptyState>
      </Card>
    </Page>
  );
}
