import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { LocalTime } from "../components/LocalTime";
import { authenticate } from "../shopify.server";
import { listDataRequests } from "../shopify/webhooks/compliance.server";

export const meta: MetaFunction = () => [{ title: "Data requests · Convot" }];

// Shoppers' data requests (customers/data_request), each with its export.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const requests = await listDataRequests(session.shop);
  return {
    requests: requests.map((r) => ({
      id: r.id,
      customer: r.customerEmail ?? `Customer ${r.customerId}`,
      orders: r.ordersRequested.length,
      receivedAt: r.receivedAt.toISOString(),
      downloadedAt: r.downloadedAt?.toISOString() ?? null,
    })),
  };
};

export default function DataRequests() {
  const { requests } = useLoaderData<typeof loader>();
  return (
    <Page title="Customer data requests">
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {requests.length === 0 ? (
              <EmptyState heading="No data requests" image="">
                <p>When a customer asks for their data, Shopify tells this app and the request appears here for you to download.</p>
              </EmptyState>
            ) : (
              <IndexTable
                itemCount={requests.length}
                selectable={false}
                headings={[{ title: "Customer" }, { title: "Orders named" }, { title: "Received" }, { title: "Export" }]}
              >
                {requests.map((r, index) => (
                  <IndexTable.Row id={String(r.id)} key={r.id} position={index}>
                    <IndexTable.Cell>{r.customer}</IndexTable.Cell>
                    <IndexTable.Cell>{r.orders}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <LocalTime iso={r.receivedAt} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <a href={`/app/data-requests/${r.id}/download`} download>
                        Download JSON
                      </a>
                      {r.downloadedAt ? (
                        <Text as="span" tone="subdued">
                          {" · downloaded "}
                          <LocalTime iso={r.downloadedAt} dateOnly />
                        </Text>
                      ) : null}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
