import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { ConvotError } from "../errors";
import { requireConsoleApp, requireCsrf } from "../console/auth.server";
import { changeSettings, settingsPage } from "../console/settings.server";

export const meta: MetaFunction = () => [{ title: "Settings · Convot console" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, app } = await requireConsoleApp(request, params.appId);
  return { app, role: session.operator.role, ...(await settingsPage(app.id)) };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, app } = await requireConsoleApp(request, params.appId);
  const form = await request.formData();
  await requireCsrf(request, form, session);
  try {
    return await changeSettings(session.operator, app.id, form);
  } catch (error) {
    if (error instanceof ConvotError) return { error: error.message, status: error.code };
    throw error;
  }
};

type ActionData = { revealed?: string; createdToken?: string; message?: string; error?: string };

export default function Settings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const { csrfToken } = useRouteLoaderData("routes/console") as { csrfToken: string };
  const owner = data.role === "owner";
  const csrf = <input type="hidden" name="csrf" value={csrfToken} />;
  return (
    <Page title="Settings" subtitle={data.app.name} backAction={{ content: "Merchants", url: `/console/apps/${data.app.id}` }}>
      <BlockStack gap="400">
        {result?.error ? <Banner tone="critical">{result.error}</Banner> : null}
        {result?.message ? <Banner tone="success">{result.message}</Banner> : null}
        {!owner ? <Banner tone="info">Only an owner can change these settings.</Banner> : null}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Keys
            </Text>
            <Text as="p">
              App key (public, used by the widget): <code data-testid="app-key">{data.appKey}</code>
            </Text>
            <Text as="p">
              Identity secret (server-side only): <code data-testid="identity-secret">{result?.revealed ?? "•••••••••••••••• hidden"}</code>
            </Text>
            {owner ? (
              <InlineStack gap="300">
                <Form method="post">
                  {csrf}
                  <input type="hidden" name="intent" value="reveal-secret" />
                  <Button submit>Reveal</Button>
                </Form>
                <Form method="post">
                  {csrf}
                  <input type="hidden" name="intent" value="rotate-secret" />
                  <InlineStack gap="200" blockAlign="center">
                    <input name="confirm" placeholder='type "rotate"' aria-label="Confirm rotation" />
                    <Button submit tone="critical">
                      Rotate
                    </Button>
                  </InlineStack>
                </Form>
              </InlineStack>
            ) : null}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                Require identity verification
              </Text>
              {data.requireIdentityVerification ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
            </InlineStack>
            <Text as="p" tone="subdued">
              When on, an identify without a valid user_hash is refused.
            </Text>
            {owner ? (
              <Form method="post">
                {csrf}
                <input type="hidden" name="intent" value="verification" />
                <input type="hidden" name="require" value={data.requireIdentityVerification ? "off" : "on"} />
                <Button submit>{data.requireIdentityVerification ? "Turn off" : "Turn on"}</Button>
              </Form>
            ) : null}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              API keys
            </Text>
            {result?.createdToken ? (
              <Banner tone="warning">
                <p>
                  New key (shown once): <code data-testid="new-token">{result.createdToken}</code>
                </p>
              </Banner>
            ) : null}
            <table style={{ width: "100%", borderCollapse: "collapse" }}>
              <thead>
                <tr style={{ textAlign: "left" }}>
                  <th>Key</th>
                  <th>Scopes</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.apiKeys.map((key) => (
                  <tr key={key.id} data-testid="api-key-row" style={{ borderTop: "1px solid #eee" }}>
                    <td>
                      <code>{`ck_${key.id}:…`}</code> {key.name}
                    </td>
                    <td>{key.scopes.join(", ")}</td>
                    <td>{key.revokedAt ? "revoked" : key.lastUsedAt ? key.lastUsedAt.replace("T", " ").slice(0, 16) : "never"}</td>
                    <td>
                      {owner && !key.revokedAt ? (
                        <Form method="post">
                          {csrf}
                          <input type="hidden" name="intent" value="revoke-key" />
                          <input type="hidden" name="keyId" value={key.id} />
                          <Button submit tone="critical" variant="plain">
                            Revoke
                          </Button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {owner ? (
              <Form method="post">
                {csrf}
                <input type="hidden" name="intent" value="create-key" />
                <InlineStack gap="300" blockAlign="center" wrap>
                  <input name="name" placeholder="Label" aria-label="Label" />
                  {data.scopes.map((scope) => (
                    <label key={scope}>
                      <input type="checkbox" name="scopes" value={scope} /> {scope}
                    </label>
                  ))}
                  <Button submit variant="primary">
                    Create API key
                  </Button>
                </InlineStack>
              </Form>
            ) : null}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
