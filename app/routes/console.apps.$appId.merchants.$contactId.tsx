import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { KeyValueList } from "../components/KeyValueList";
import { RelativeTime, useHydrated } from "../components/LocalTime";
import { relativeTime } from "../console/list-params";
import { requireConsoleApp } from "../console/auth.server";
import { parseConsoleId } from "../console/ids";
import { merchantDetail } from "../console/merchant-directory.server";
import { listConversations } from "../conversations/conversation-finder.server";

export const meta: MetaFunction = () => [{ title: "Merchant · Convot console" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { app } = await requireConsoleApp(request, params.appId);
  const detail = await merchantDetail(app.id, parseConsoleId(params.contactId)).catch(() => {
    throw new Response("Not found", { status: 404 });
  });
  const { conversations } = await listConversations(app.id, { contactId: detail.contact.id }, { page: 1, perPage: 10 });
  return {
    app,
    ...detail,
    conversations: conversations.map((c) => ({
      id: c.id,
      status: c.status,
      preview: c.lastMessage?.content.slice(0, 100) ?? "",
      lastActivityAt: c.lastActivityAt.toISOString(),
    })),
  };
};

type Provenance = ReturnType<typeof useLoaderData<typeof loader>>["events"][number]["provenance"];

/** Marks an event whose telling differs from a plain, on-time webhook. */
function ProvenanceBadges({ provenance }: { provenance: Provenance }) {
  return (
    <>
      {provenance.source === "reconciliation" ? <Badge tone="attention">Reconciled with Shopify</Badge> : null}
      {provenance.late ? <Badge tone="info">Arrived late</Badge> : null}
      {provenance.correctedAt ? <Badge tone="warning">Corrected</Badge> : null}
    </>
  );
}

/** Where the event came from (Shopify's ids), and what a correction changed and why. */
function ProvenanceNote({ provenance }: { provenance: Provenance }) {
  const ids = [provenance.webhookId ? `webhook ${provenance.webhookId}` : null, provenance.eventId ? `event ${provenance.eventId}` : null].filter(
    Boolean,
  );
  return (
    <>
      {provenance.correctedAt ? (
        <Text as="p" tone="caution">
          Corrected <EventTime iso={provenance.correctedAt} />: {provenance.correction ?? ""}
        </Text>
      ) : null}
      {ids.length || provenance.source ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {[provenance.source ? `from ${provenance.source}` : null, ...ids].filter(Boolean).join(" · ")}
        </Text>
      ) : null}
    </>
  );
}

/** When Shopify last confirmed this merchant's state (reconciliation), and the drift it last corrected. */
function ShopifyConfirmation({ shopify }: { shopify: ReturnType<typeof useLoaderData<typeof loader>>["shopify"] }) {
  return (
    <Card>
      <div data-testid="shopify-confirmation">
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            State with Shopify
          </Text>
          <Text as="p">
            {shopify?.confirmedAt ? (
              <>
                Last confirmed with Shopify <EventTime iso={shopify.confirmedAt} />
              </>
            ) : (
              "Not confirmed with Shopify yet"
            )}
          </Text>
          {shopify?.outcome && !["confirmed", "corrected"].includes(shopify.outcome) ? (
            <Text as="p" tone="caution">{`Last attempt: ${shopify.outcome.replace("_", " ")}`}</Text>
          ) : null}
          {shopify?.driftAt ? (
            <BlockStack gap="100">
              <Text as="p" tone="caution">
                Drift found <EventTime iso={shopify.driftAt} />, corrected:
              </Text>
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {shopify.drift.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </BlockStack>
          ) : shopify?.confirmedAt ? (
            <Text as="p" tone="subdued">
              No drift found.
            </Text>
          ) : null}
        </BlockStack>
      </div>
    </Card>
  );
}

export default function Merchant() {
  const { app, contact, customData, events, conversations, shopify } = useLoaderData<typeof loader>();
  const adminUrl = contact.shopifyDomain ? `https://admin.shopify.com/store/${contact.shopifyDomain.replace(/\.myshopify\.com$/, "")}` : null;
  return (
    <Page
      title={contact.shop ?? contact.email ?? `Contact #${contact.id}`}
      backAction={{ content: "Merchants", url: `/console/apps/${app.id}` }}
      titleMetadata={contact.verified ? <Badge tone="success">Verified</Badge> : <Badge>Unverified</Badge>}
    >
      <Layout>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Identity
                </Text>
                <KeyValueList
                  testId="identity"
                  items={[
                    { key: "Name", value: contact.name ?? "—" },
                    { key: "Email", value: contact.email ? `${contact.email}${contact.emailVerified ? "" : " (not verified)"}` : "—" },
                    { key: "Company", value: contact.company ?? "—" },
                    { key: "Phone", value: contact.phone ?? "—" },
                    { key: "Shop", value: contact.shopifyDomain ?? contact.shop ?? "—" },
                    { key: "Identity", value: contact.verified ? "Verified (signed)" : "Not verified" },
                  ]}
                />
                {adminUrl ? (
                  <a href={adminUrl} target="_blank" rel="noreferrer">
                    Open the shop's admin ↗
                  </a>
                ) : null}
              </BlockStack>
            </Card>
            {contact.shopifyDomain ? <ShopifyConfirmation shopify={shopify} /> : null}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Custom data
                </Text>
                {customData.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No custom data yet.
                  </Text>
                ) : (
                  <KeyValueList items={customData} testId="custom-data" />
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            {conversations.length ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Conversations
                  </Text>
                  <ul data-testid="merchant-conversations" style={{ listStyle: "none", padding: 0, margin: 0 }}>
                    {conversations.map((c) => (
                      <li key={c.id} style={{ padding: "6px 0", borderTop: "1px solid #eee" }}>
                        <Link to={`/console/apps/${app.id}/inbox/${c.id}`}>{c.preview || "(no messages yet)"}</Link>{" "}
                        <Badge tone={c.status === "open" ? "info" : undefined}>{c.status}</Badge>{" "}
                        <Text as="span" tone="subdued">
                          <RelativeTime iso={c.lastActivityAt} />
                        </Text>
                      </li>
                    ))}
                  </ul>
                </BlockStack>
              </Card>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Events
                </Text>
                {events.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No events yet.
                  </Text>
                ) : (
                  <ol data-testid="timeline" style={{ listStyle: "none", padding: 0, margin: 0 }}>
                    {events.map((event) => (
                      <li key={event.id} data-testid="timeline-event" style={{ borderTop: "1px solid #eee", padding: "10px 0" }}>
                        <InlineStack align="space-between">
                          <InlineStack gap="200" blockAlign="center">
                            <Text as="span" fontWeight="semibold">
                              {event.name}
                            </Text>
                            <ProvenanceBadges provenance={event.provenance} />
                          </InlineStack>
                          <EventTime iso={event.occurredAt} />
                        </InlineStack>
                        {Object.keys(event.properties).length ? (
                          <Text as="p" tone="subdued">
                            {Object.entries(event.properties)
                              .map(([k, v]) => `${k}: ${String(v)}`)
                              .join(" · ")}
                          </Text>
                        ) : null}
                        <ProvenanceNote provenance={event.provenance} />
                      </li>
                    ))}
                  </ol>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <div style={{ height: 24 }} />
      <Link to={`/console/apps/${app.id}`}>← All merchants</Link>
    </Page>
  );
}

/** "3 days ago · 2026-10-20 00:00 UTC": the UTC part is the same everywhere; "ago" joins once hydrated. */
function EventTime({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  const utc = `${new Date(iso).toISOString().replace("T", " ").slice(0, 16)} UTC`;
  return (
    <time dateTime={iso} title={iso}>
      {hydrated ? `${relativeTime(iso)} · ${utc}` : utc}
    </time>
  );
}
