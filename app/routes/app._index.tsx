import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, List, Page, Text } from "@shopify/polaris";
import { authenticate } from "../shopify.server";
import { findShopDetails } from "../shopify/shops.server";

export const meta: MetaFunction = () => [{ title: "Convot" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await findShopDetails(session.shop);
  return { shop: session.shop, shopName: shop?.name ?? session.shop };
};

export default function Index() {
  const { shopName } = useLoaderData<typeof loader>();
  return (
    <Page title="Convot">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {`Convot is installed on ${shopName}`}
              </Text>
              <Text as="p">Your storefront visitors can chat with you once the Convot app embed is on in your theme.</Text>
              <List type="number">
                <List.Item>
                  <Link to="/app/onboarding">Set up the widget</Link>: switch the app embed on and choose its colour, position and greeting.
                </List.Item>
                <List.Item>
                  <Link to="/app/plans">Choose a plan</Link> when you need more than the free tier.
                </List.Item>
                <List.Item>
                  The Convot button at the bottom of each page identifies your shop to our support team, so they already know your plan and setup when
                  you reach out.
                </List.Item>
              </List>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
