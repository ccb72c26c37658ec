import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, IndexTable, InlineGrid, Page, Text } from "@shopify/polaris";
import { InstallsChart } from "../components/InstallsChart";
import { requireConsoleApp } from "../console/auth.server";
import { dashboard, type UpkeepJobRow } from "../console/dashboard.server";
import { appInsights } from "../console/insights.server";
import { RevenueInsights } from "../components/RevenueInsights";
import { env } from "../env.server";

/** The days the dashboard looks back over. */
const DAYS = 90;

export const meta: MetaFunction = () => [{ title: "Dashboard · Convot console" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { app } = await requireConsoleApp(request, params.appId);
  const cohort = new URL(request.url).searchParams.get("merchants");
  const [activity, insights] = await Promise.all([
    dashboard({ id: app.id, shopApp: app.publicKey === env.CONVOT_APP_KEY }, DAYS),
    appInsights(app.id, { days: DAYS, cohort }),
  ]);
  return { app, ...activity, insights };
};

export default function Dashboard() {
  const { app, perDay, plans, deliveries, jobs, insights } = useLoaderData<typeof loader>();
  const installs = perDay.reduce((n, d) => n + d.installs, 0);
  const uninstalls = perDay.reduce((n, d) => n + d.uninstalls, 0);
  return (
    <Page title="Dashboard" subtitle={app.name} backAction={{ content: "Merchants", url: `/console/apps/${app.id}` }} fullWidth>
      <BlockStack gap="400">
        <RevenueInsights insights={insights} base={`/console/apps/${app.id}/dashboard`} />
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Card>
            <Text as="p" tone="subdued">
              Installs, last 90 days
            </Text>
            <Text as="p" variant="heading2xl">
              {installs}
            </Text>
          </Card>
          <Card>
            <Text as="p" tone="subdued">
              Uninstalls, last 90 days
            </Text>
            <Text as="p" variant="heading2xl">
              {uninstalls}
            </Text>
          </Card>
        </InlineGrid>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Installs and uninstalls per day
            </Text>
            <InstallsChart data={perDay} />
          </BlockStack>
        </Card>
        <InlineGrid columns={{ xs: 1, md: "1fr 2fr" }} gap="400">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Plans
              </Text>
              {plans.length === 0 ? (
                <Text as="p" tone="subdued">
                  No plan recorded yet.
                </Text>
              ) : null}
              {plans.map((p) => (
                <div key={p.plan} data-testid="plan-row" style={{ display: "flex", justifyContent: "space-between" }}>
                  <Link to={`/console/apps/${app.id}?plan=${encodeURIComponent(p.plan)}`}>{p.plan}</Link>
                  <span>{p.count}</span>
                </div>
              ))}
            </BlockStack>
          </Card>
          <Card padding="0">
            <div style={{ padding: 16 }}>
              <Text as="h2" variant="headingMd">
                Webhook deliveries (failures first)
              </Text>
            </div>
            {deliveries.length === 0 ? (
              <div style={{ padding: "0 16px 16px" }}>
                <Text as="p" tone="subdued">
                  No deliveries yet.
                </Text>
              </div>
            ) : (
              <IndexTable
                itemCount={deliveries.length}
                selectable={false}
                headings={[{ title: "Outcome" }, { title: "Topic" }, { title: "Shop" }, { title: "Received" }, { title: "Error" }]}
              >
                {deliveries.map((d, index) => (
                  <IndexTable.Row id={d.webhookId} key={d.webhookId} position={index}>
                    <IndexTable.Cell>
                      <span data-testid="delivery-outcome">
                        {d.outcome === "failed" ? <Badge tone="critical">failed</Badge> : <Badge tone="success">processed</Badge>}
                      </span>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{d.topic}</IndexTable.Cell>
                    <IndexTable.Cell>{d.shop}</IndexTable.Cell>
                    <IndexTable.Cell>{`${d.receivedAt.replace("T", " ").slice(0, 19)} UTC`}</IndexTable.Cell>
                    <IndexTable.Cell>{d.error ? `${d.error.slice(0, 80)}${d.attempts > 1 ? ` (attempts: ${d.attempts})` : ""}` : ""}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </InlineGrid>
        {jobs.length > 0 ? <UpkeepJobs jobs={jobs} /> : null}
      </BlockStack>
    </Page>
  );
}

const utc = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 19)} UTC` : "—");
const JOB_BADGES = {
  succeeded: <Badge tone="success">succeeded</Badge>,
  failed: <Badge tone="critical">failed</Badge>,
  running: <Badge tone="info">running</Badge>,
  interrupted: <Badge tone="warning">interrupted</Badge>,
  "not run yet": <Badge>not run yet</Badge>,
};

function UpkeepJobs({ jobs }: { jobs: UpkeepJobRow[] }) {
  return (
    <Card padding="0">
      <div style={{ padding: 16 }}>
        <Text as="h2" variant="headingMd">
          Upkeep jobs: last run, outcome
        </Text>
      </div>
      <IndexTable
        itemCount={jobs.length}
        selectable={false}
        headings={[{ title: "Job" }, { title: "Outcome" }, { title: "Started" }, { title: "Finished" }, { title: "Tries" }, { title: "Error" }]}
      >
        {jobs.map((job, index) => (
          <IndexTable.Row id={job.name} key={job.name} position={index}>
            <IndexTable.Cell>
              <span data-testid="job-name">{job.name}</span>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <span data-testid="job-outcome">{JOB_BADGES[job.state]}</span>
            </IndexTable.Cell>
            <IndexTable.Cell>{utc(job.startedAt)}</IndexTable.Cell>
            <IndexTable.Cell>{utc(job.finishedAt)}</IndexTable.Cell>
            <IndexTable.Cell>{job.attempts || ""}</IndexTable.Cell>
            <IndexTable.Cell>{job.error ? job.error.slice(0, 120) : ""}</IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}
