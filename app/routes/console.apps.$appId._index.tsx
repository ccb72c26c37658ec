import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireConsoleApp } from "../console/auth.server";
import { RelativeTime } from "../components/LocalTime";
import { PER_PAGE, listHref, readListParams } from "../console/list-params";
import { filterChoices, listMerchants } from "../console/merchant-directory.server";

export const meta: MetaFunction = () => [{ title: "App · Convot console" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { app } = await requireConsoleApp(request, params.appId);
  const { filters, page } = readListParams(new URL(request.url).searchParams);
  const [{ merchants, total }, choices] = await Promise.all([listMerchants(app.id, filters, { page, perPage: PER_PAGE }), filterChoices(app.id)]);
  return { app, merchants, total, page, choices };
};

export default function Merchants() {
  const { app, merchants, total, page, choices } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  const [plan, setPlan] = useState(params.get("plan") ?? "");
  const [status, setStatus] = useState(params.get("status") ?? "");
  const [field, setField] = useState(params.get("field") ?? "");
  const base = `/console/apps/${app.id}`;
  const first = total === 0 ? 0 : (page - 1) * PER_PAGE + 1;
  const last = Math.min(total, page * PER_PAGE);
  return (
    <Page
      title="Merchants"
      subtitle={app.name}
      fullWidth
      secondaryActions={[
        { content: "Inbox", url: `/console/apps/${app.id}/inbox` },
        { content: "Dashboard", url: `/console/apps/${app.id}/dashboard` },
        { content: "Settings", url: `/console/apps/${app.id}/settings` },
        { content: "Export CSV", url: `/console/apps/${app.id}/contacts.csv`, external: false },
      ]}
    >
      <BlockStack gap="400">
        <Card>
          <Form method="get">
            <InlineStack gap="300" blockAlign="end" wrap>
              <div style={{ minWidth: 240 }}>
                <TextField label="Search" name="q" value={q} onChange={setQ} autoComplete="off" placeholder="Domain, email or name" />
              </div>
              <Select
                label="Plan"
                name="plan"
                value={plan}
                onChange={setPlan}
                options={[{ label: "Any plan", value: "" }, ...choices.plans.map((p) => ({ label: `${p.value} (${p.count})`, value: p.value }))]}
              />
              <Select
                label="Status"
                name="status"
                value={status}
                onChange={setStatus}
                options={[
                  { label: "Active and churned", value: "" },
                  { label: "Active", value: "active" },
                  { label: "Churned", value: "churned" },
                ]}
              />
              <div style={{ minWidth: 220 }}>
                <TextField label="Custom field" name="field" value={field} onChange={setField} autoComplete="off" placeholder="key = value" />
              </div>
              <Button submit variant="primary">
                Filter
              </Button>
              <Link to={base}>Clear</Link>
            </InlineStack>
          </Form>
        </Card>
        <Card padding="0">
          {merchants.length === 0 ? (
            <EmptyState heading={total === 0 && params.toString() === "" ? "No merchants yet" : "No merchant matches these filters"} image="">
              <p>Merchants appear when they install your app or identify through the widget.</p>
            </EmptyState>
          ) : (
            <IndexTable
              itemCount={merchants.length}
              selectable={false}
              headings={[{ title: "Shop" }, { title: "Plan" }, { title: "Status" }, { title: "Installed" }, { title: "Last event" }]}
            >
              {merchants.map((m, index) => (
                <IndexTable.Row id={String(m.contactId)} key={m.contactId} position={index}>
                  <IndexTable.Cell>
                    <Link to={`${base}/merchants/${m.contactId}`} data-testid="merchant-link">
                      {m.shop ?? m.email ?? `#${m.contactId}`}
                    </Link>
                    {m.name ? <Text as="span" tone="subdued">{` · ${m.name}`}</Text> : null}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{m.plan ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {m.active === null ? "—" : m.active ? <Badge tone="success">Active</Badge> : <Badge tone="critical">Churned</Badge>}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{m.installDate ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {m.lastEvent ? (
                      <span>
                        {`${m.lastEvent.name} · `}
                        <RelativeTime iso={m.lastEvent.at} />
                      </span>
                    ) : (
                      "—"
                    )}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        <InlineStack align="space-between" blockAlign="center">
          <Text as="p" tone="subdued">{`Showing ${first}–${last} of ${total}`}</Text>
          <InlineStack gap="200">
            {page > 1 ? <Link to={listHref(base, params, { page: String(page - 1) })}>← Previous</Link> : null}
            {last < total ? <Link to={listHref(base, params, { page: String(page + 1) })}>Next →</Link> : null}
          </InlineStack>
        </InlineStack>
      </BlockStack>
    </Page>
  );
}
