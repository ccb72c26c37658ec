import { useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { authenticate } from "../shopify.server";
import { readEmbedStatus, themeEditorUrl } from "../shopify/theme-embed.server";

export const meta: MetaFunction = () => [{ title: "Get started · Convot" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const status = await readEmbedStatus((query) => admin.graphql(query));
  return { ...status, editorUrl: themeEditorUrl(session.shop) };
};

export default function Onboarding() {
  const { enabled, themeName, settings, editorUrl } = useLoaderData<typeof loader>();
  const [accent, setAccent] = useState(String(settings?.accent_color ?? "#1f5199"));
  const [greeting, setGreeting] = useState(String(settings?.greeting ?? "Hi! How can we help?"));
  const [position, setPosition] = useState(String(settings?.position ?? "right"));
  const preview = `/widget/frame?${new URLSearchParams({ preview: "1", greeting, accent })}`;
  return (
    <Page title="Set up the chat widget">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Convot chat on your storefront
                </Text>
                {enabled ? <Badge tone="success">On</Badge> : <Badge tone="attention">Off</Badge>}
              </InlineStack>
              <Text as="p">
                {enabled
                  ? `The Convot app embed is on in your live theme${themeName ? ` (${themeName})` : ""}. Visitors see the chat launcher.`
                  : `The Convot app embed is off in your live theme${themeName ? ` (${themeName})` : ""}. Switch it on in the theme editor, then save.`}
              </Text>
              <InlineStack>
                <Button url={editorUrl} target="_top" variant={enabled ? "secondary" : "primary"}>
                  {enabled ? "Open the theme editor" : "Turn on in the theme editor"}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Widget settings
              </Text>
              <Text as="p" tone="subdued">
                Try them here; set them for good in the theme editor, under App embeds → Convot chat.
              </Text>
              <TextField label="Accent colour" value={accent} onChange={setAccent} autoComplete="off" />
              <TextField label="Greeting" value={greeting} onChange={setGreeting} autoComplete="off" />
              <Select
                label="Position"
                options={[
                  { label: "Bottom right", value: "right" },
                  { label: "Bottom left", value: "left" },
                ]}
                value={position}
                onChange={setPosition}
              />
              <div style={{ display: "flex", justifyContent: position === "left" ? "flex-start" : "flex-end" }}>
                <iframe title="Widget preview" src={preview} style={{ width: 300, height: 260, border: "1px solid #e3e3e3", borderRadius: 12 }} />
              </div>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
