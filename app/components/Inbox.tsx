// The team inbox, shared by the developer's console and the merchant's admin: a list of
// conversations, one conversation with the contact's context beside it, and a live cursor
// that refreshes the page when a message arrives. Everything shown is rendered as text.
import { useEffect, useRef } from "react";
import { Link, useFetcher, useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Layout, Text } from "@shopify/polaris";
import type { conversationPage, inboxPage } from "../conversations/inbox.server";
import { KeyValueList } from "./KeyValueList";
import { LocalTime } from "./LocalTime";

export type InboxListData = Awaited<ReturnType<typeof inboxPage>>;
export type ConversationData = Awaited<ReturnType<typeof conversationPage>>;

/**
 * Long-polls `liveUrl` (answered when the app's newest message passes `cursor`) and revalidates
 * the page's data then: a new message shows up without a reload.
 */
export function useLiveUpdates(liveUrl: string, cursor: number) {
  const { revalidate } = useRevalidator();
  const revalidateRef = useRef(revalidate);
  revalidateRef.current = revalidate;
  useEffect(() => {
    const controller = new AbortController();
    let after = cursor;
    (async () => {
      let failures = 0;
      while (!controller.signal.aborted) {
        try {
          const response = await fetch(`${liveUrl}?after=${after}&wait=25`, {
            signal: controller.signal,
            headers: { Accept: "application/json" },
          });
          if (!response.ok) throw new Error(String(response.status));
          const { latest } = (await response.json()) as { latest: number };
          failures = 0;
          if (latest > after) {
            after = latest;
            revalidateRef.current();
          }
        } catch {
          if (controller.signal.aborted) return;
          await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** failures++)));
        }
      }
    })();
    return () => controller.abort();
  }, [liveUrl, cursor]);
}

export function InboxList({ data, basePath }: { data: InboxListData; basePath: string }) {
  const tab = (status: "open" | "resolved", label: string) => (
    <Button url={`${basePath}?status=${status}`} pressed={data.status === status} variant={data.status === status ? "primary" : "secondary"}>
      {label}
    </Button>
  );
  return (
    <BlockStack gap="300">
      <InlineStack gap="200">
        {tab("open", "Open")}
        {tab("resolved", "Resolved")}
      </InlineStack>
      <Card padding="0">
        {data.conversations.length === 0 ? (
          <Box padding="400">
            <Text as="p" tone="subdued">
              {data.status === "open" ? "No open conversations. New messages from the widget appear here." : "No resolved conversations yet."}
            </Text>
          </Box>
        ) : (
          <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {data.conversations.map((c) => (
              <li key={c.id} data-testid="conversation-row" style={{ borderTop: "1px solid #eee" }}>
                <Link to={`${basePath}/${c.id}`} style={{ display: "block", padding: "12px 16px", color: "inherit", textDecoration: "none" }}>
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="span" fontWeight={c.unread ? "bold" : "regular"}>
                      {c.who}
                    </Text>
                    <InlineStack gap="200" blockAlign="center">
                      {c.unread ? <Badge tone="attention">New</Badge> : null}
                      <Text as="span" tone="subdued">
                        <LocalTime iso={c.lastActivityAt} />
                      </Text>
                    </InlineStack>
                  </InlineStack>
                  <Text as="p" tone="subdued" truncate>
                    {c.previewType === "outgoing" ? `You: ${c.preview}` : c.preview}
                  </Text>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <InlineStack gap="300">
        {data.page > 1 ? <Link to={`${basePath}?status=${data.status}&page=${data.page - 1}`}>← Newer</Link> : null}
        {data.hasMore ? <Link to={`${basePath}?status=${data.status}&page=${data.page + 1}`}>Older →</Link> : null}
      </InlineStack>
    </BlockStack>
  );
}

// Plain buttons: a form post must say which intent was clicked (Polaris buttons carry no name/value).
const BUTTON: React.CSSProperties = {
  font: "inherit",
  fontWeight: 600,
  background: "#fff",
  border: "1px solid #8a8a8a",
  borderRadius: 8,
  padding: "6px 12px",
  cursor: "pointer",
};

const BUBBLE: Record<string, React.CSSProperties> = {
  incoming: { background: "#f1f1f1", alignSelf: "flex-start" },
  outgoing: { background: "#e3f1df", alignSelf: "flex-end" },
  note: { background: "#fff4d6", alignSelf: "flex-end", border: "1px dashed #d8b35a" },
  activity: { background: "transparent", alignSelf: "center", color: "#616161", fontStyle: "italic" },
};

function SidebarCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

const None = () => (
  <Text as="p" tone="subdued">
    None.
  </Text>
);

/** One conversation: the thread, a composer (reply or internal note), resolve/reopen, and the context sidebar. */
export function ConversationView({
  data,
  hiddenFields = {},
  contactHref,
}: {
  data: ConversationData;
  hiddenFields?: Record<string, string>;
  contactHref?: string | null;
}) {
  const fetcher = useFetcher<{ ok?: boolean; error?: string }>();
  const form = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) form.current?.reset();
  }, [fetcher.state, fetcher.data]);
  const hidden = Object.entries(hiddenFields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
  const resolved = data.conversation.status === "resolved";

  return (
    <Layout>
      <Layout.Section>
        <BlockStack gap="400">
          <Card>
            <ol data-testid="messages" style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: 10 }}>
              {data.messages.map((m) => (
                <li
                  key={m.id}
                  data-testid="message"
                  data-type={m.type}
                  style={{ maxWidth: "80%", padding: "8px 12px", borderRadius: 10, ...BUBBLE[m.type] }}
                >
                  <div style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{m.content}</div>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {[
                      m.type === "note" ? "Internal note" : null,
                      m.type === "activity" ? null : (m.author ?? (m.type === "incoming" ? data.who : null)),
                    ]
                      .filter(Boolean)
                      .map((part) => `${part} · `)
                      .join("")}
                    <LocalTime iso={m.createdAt} />
                  </Text>
                </li>
              ))}
            </ol>
          </Card>
          <Card>
            <fetcher.Form method="post" ref={form}>
              {hidden}
              <BlockStack gap="200">
                <label htmlFor="inbox-content">
                  <Text as="span" variant="headingSm">
                    Reply
                  </Text>
                </label>
                <textarea
                  id="inbox-content"
                  name="content"
                  rows={4}
                  maxLength={5000}
                  required
                  placeholder={`Write to ${data.who}…`}
                  style={{
                    width: "100%",
                    boxSizing: "border-box",
                    font: "inherit",
                    padding: 8,
                    borderRadius: 8,
                    border: "1px solid #8a8a8a",
                  }}
                />
                {fetcher.data?.error ? (
                  <Text as="p" tone="critical">
                    {fetcher.data.error}
                  </Text>
                ) : null}
                <InlineStack gap="200">
                  <button
                    type="submit"
                    name="intent"
                    value="reply"
                    disabled={busy}
                    style={{ ...BUTTON, background: "#303030", color: "#fff", border: 0 }}
                  >
                    Send reply
                  </button>
                  <button type="submit" name="intent" value="note" disabled={busy} style={BUTTON}>
                    Add internal note
                  </button>
                </InlineStack>
              </BlockStack>
            </fetcher.Form>
          </Card>
        </BlockStack>
      </Layout.Section>
      <Layout.Section variant="oneThird">
        <BlockStack gap="400">
          <Card>
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {data.who}
                </Text>
                {resolved ? <Badge>Resolved</Badge> : <Badge tone="info">Open</Badge>}
              </InlineStack>
              {data.contact?.email ? (
                <InlineStack gap="200" blockAlign="center">
                  <Text as="p">{data.contact.email}</Text>
                  {data.contact.emailVerified ? null : <Badge tone="attention">Email not verified</Badge>}
                </InlineStack>
              ) : null}
              {data.contact ? (
                <Text as="p" tone="subdued">
                  {data.contact.verified ? "Verified identity" : "Unverified identity"}
                </Text>
              ) : (
                <Text as="p" tone="subdued">
                  Not identified yet
                </Text>
              )}
              {contactHref ? <Link to={contactHref}>Full profile →</Link> : null}
              <fetcher.Form method="post">
                {hidden}
                <button type="submit" name="intent" value={resolved ? "reopen" : "resolve"} disabled={busy} style={BUTTON}>
                  {resolved ? "Reopen" : "Resolve"}
                </button>
              </fetcher.Form>
            </BlockStack>
          </Card>
          <SidebarCard title="Custom data">
            {data.contact?.customData.length ? <KeyValueList items={data.contact.customData} testId="context-custom-data" /> : <None />}
          </SidebarCard>
          <SidebarCard title="Recent events">
            {data.events.length ? (
              <ol data-testid="context-events" style={{ listStyle: "none", margin: 0, padding: 0 }}>
                {data.events.map((e) => (
                  <li key={e.id} style={{ padding: "4px 0" }}>
                    <Text as="span" fontWeight="semibold">
                      {e.name}
                    </Text>{" "}
                    <Text as="span" tone="subdued">
                      <LocalTime iso={e.occurredAt} />
                    </Text>
                  </li>
                ))}
              </ol>
            ) : (
              <None />
            )}
          </SidebarCard>
          {data.conversation.sessionData.length ? (
            <SidebarCard title="Session data">
              <KeyValueList items={data.conversation.sessionData} testId="context-session-data" />
            </SidebarCard>
          ) : null}
        </BlockStack>
      </Layout.Section>
    </Layout>
  );
}
