import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { ConvotError } from "../errors";
import { authenticate } from "../shopify.server";
import { choosePlan, planPage } from "../shopify/plans.server";

export const meta: MetaFunction = () => [{ title: "Plans · Convot" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { billing } = await authenticate.admin(request);
  return planPage(billing);
};

// subscribe → Shopify's confirmation page (billing.request throws the redirect); cancel → Free.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { billing } = await authenticate.admin(request);
  const form = await request.formData();
  try {
    return await choosePlan(billing, {
      intent: String(form.get("intent") ?? ""),
      plan: String(form.get("plan") ?? ""),
      returnUrl: new URL("/app/plans", request.url).toString(),
    });
  } catch (error) {
    // A form that names no known plan or intent: say so, as a 4xx (billing.request's redirect passes through).
    if (error instanceof ConvotError) throw new Response(error.message, { status: error.code === "bad_request" ? 400 : 422 });
    throw error;
  }
};

export default function Plans() {
  const { plans, current, test } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page title="Plans" subtitle={test ? "Test charges: nothing is billed on this store." : undefined}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            {plans.map((plan) => (
              <Card key={plan.handle}>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {plan.name}
                    </Text>
                    {plan.handle === current.handle ? <Badge tone="success">Current plan</Badge> : null}
                  </InlineStack>
                  <Text as="p" variant="headingLg">
                    {plan.price}
                  </Text>
                  <Text as="p" tone="subdued">
                    {plan.description}
                  </Text>
                  {plan.trial ? <Text as="p">{plan.trial}</Text> : null}
                  {plan.handle === current.handle ? (
                    current.subscriptionId ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="cancel" />
                        <Button submit tone="critical" variant="plain" disabled={busy}>
                          {`Cancel ${plan.name}`}
                        </Button>
                      </Form>
                    ) : null
                  ) : plan.handle !== "free" ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="subscribe" />
                      <input type="hidden" name="plan" value={plan.name} />
                      <Button submit variant="primary" disabled={busy}>
                        {`Choose ${plan.name}`}
                      </Button>
                    </Form>
                  ) : null}
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
