import type { MetaFunction } from "@remix-run/node";
import { Card, Layout, List, Page, Text } from "@shopify/polaris";

export const meta: MetaFunction = () => [{ title: "Demo shop admin · Convot" }];

export default function DemoHome() {
  return (
    <Page title="Convot (demo admin)">
      <Layout>
        <Layout.Section>
          <Card>
            <Text as="p">Try the conversation story:</Text>
            <List type="number">
              <List.Item>Open the chat button here and write to the app's support team, as a merchant would.</List.Item>
              <List.Item>
                Create an operator (<code>npm run convot -- operator create --email you@example.com --password "a long passphrase" --role owner</code>
                ), sign in at /console and answer from the Inbox: the reply appears here.
              </List.Item>
              <List.Item>Open the storefront (/preview), write as a shopper, and answer from this demo's Inbox.</List.Item>
            </List>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
