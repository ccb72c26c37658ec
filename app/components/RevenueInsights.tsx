// The dashboard's revenue section: MRR now and per day, its movements per month (new, expansion,
// contraction, churned), merchants by standing, trial → paid conversion and logo churn per month.
// Every figure links to the merchants behind it (the list under the figures).
import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { AppInsights } from "../console/insights.server";
import { BarChart } from "./charts/BarChart";
import { LineChart } from "./charts/LineChart";
import { dayLabelIndices, formatDay, formatMonth, formatUsd } from "./charts/axes";

const MOVEMENT_SERIES = [
  { key: "new", name: "new", color: "#29845a", direction: "up" },
  { key: "expansion", name: "expansion", color: "#7ec8a4", direction: "up" },
  { key: "contraction", name: "contraction", color: "#f0a080", direction: "down" },
  { key: "churned", name: "churned", color: "#c70a24", direction: "down" },
] as const;

/** What each cohort key names, for the list's heading. */
export function cohortTitle(key: string): string {
  const [what, month] = key.split(":");
  const when = month ? ` in ${formatMonth(month)}` : "";
  const names: Record<string, string> = {
    mrr: "Paying merchants (their MRR)",
    active: "Active merchants (installed)",
    paying: "Paying merchants",
    trialing: "Merchants in a trial",
    frozen: "Merchants whose charge is frozen",
    free: "Installed merchants on the free plan",
    churned: month ? "Churned MRR" : "Churned merchants (uninstalled)",
    new: "New MRR",
    expansion: "Expansion MRR",
    contraction: "Contraction MRR",
    "logo-churn": "Merchants who uninstalled",
    "trial-converted": "Trials that converted to paid",
    "trial-lost": "Trials that ended without converting",
    "trial-in-progress": "Trials in progress",
  };
  return `${names[what] ?? what}${when}`;
}

function Figure({ label, value, href, testId, note }: { label: string; value: string; href: string; testId: string; note?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          <Link to={href} data-testid={testId} preventScrollReset>
            {value}
          </Link>
        </Text>
        {note ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {note}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

// Figures right-aligned under their headings, months (row headings) on the left.
const TABLE = { width: "100%", borderCollapse: "collapse", textAlign: "right", fontVariantNumeric: "tabular-nums" } as const;

const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((part / whole) * 1000) / 10} %`);

export function RevenueInsights({ insights, base }: { insights: AppInsights; base: string }) {
  const { standings, trials, cohortSizes } = insights;
  const link = (key: string) => `${base}?merchants=${encodeURIComponent(key)}#merchants`;
  const active = standings.paying + standings.trialing + standings.frozen + standings.free;
  const ended = trials.converted + trials.lost;
  const anyMrr = insights.days.some((d) => d.mrr > 0);
  const anyMerchant = active + standings.churned > 0;
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 2, md: 3, lg: 6 }} gap="400">
        <Figure
          label="MRR now"
          value={formatUsd(insights.mrr)}
          href={link("mrr")}
          testId="mrr-now"
          note={`from ${cohortSizes.mrr ?? 0} merchants (trials and frozen charges included)`}
        />
        <Figure
          label="Active merchants"
          value={String(active)}
          href={link("active")}
          testId="standing-active"
          note={`${standings.paying} paying · ${standings.free} free`}
        />
        <Figure label="Trialing" value={String(standings.trialing)} href={link("trialing")} testId="standing-trialing" />
        <Figure
          label="Frozen"
          value={String(standings.frozen)}
          href={link("frozen")}
          testId="standing-frozen"
          note="charge failed, not yet recovered"
        />
        <Figure label="Churned" value={String(standings.churned)} href={link("churned")} testId="standing-churned" note="uninstalled" />
        <Figure
          label="Trial → paid"
          value={percent(trials.converted, ended)}
          href={link("trial-converted")}
          testId="trial-conversion"
          note={
            ended
              ? `${trials.converted} of ${ended} trials ended in these ${insights.days.length} days · ${trials.inTrial} in progress`
              : `no trial ended in these ${insights.days.length} days`
          }
        />
      </InlineGrid>
      {!anyMerchant ? (
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              No merchant yet
            </Text>
            <Text as="p" tone="subdued">
              MRR, churn and trial conversion appear here once Shopify tells the app of installs and subscriptions (an install, then
              app_subscriptions/update). In demo mode, <code>npm run demo</code> seeds 90 days of them.
            </Text>
          </BlockStack>
        </Card>
      ) : (
        <>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                MRR per day, {formatDay(insights.from)} – {formatDay(insights.to)} (UTC)
              </Text>
              {anyMrr ? (
                <LineChart
                  label="MRR per day"
                  points={insights.days.map((d) => ({
                    label: formatDay(d.day),
                    value: d.mrr,
                    tooltip: `${formatDay(d.day)}: MRR ${formatUsd(d.mrr)}${MOVEMENT_SERIES.filter((s) => d[s.key])
                      .map((s) => ` · ${s.name} ${s.direction === "up" ? "+" : "−"}${formatUsd(d[s.key])}`)
                      .join("")}`,
                  }))}
                  labelAt={dayLabelIndices(insights.days.length)}
                  formatValue={formatUsd}
                  width={1200}
                />
              ) : (
                <Text as="p" tone="subdued">
                  No MRR in these {insights.days.length} days: no merchant was on a paid plan.
                </Text>
              )}
            </BlockStack>
          </Card>
          <InlineGrid columns={{ xs: 1, lg: "3fr 2fr" }} gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  MRR movements per month
                </Text>
                <BarChart
                  label="MRR movements per month"
                  series={MOVEMENT_SERIES.map(({ name, color, direction }) => ({ name, color, direction }))}
                  buckets={insights.months.map((m) => ({
                    label: formatMonth(m.month),
                    values: MOVEMENT_SERIES.map((s) => m.movements[s.key]),
                    tooltip: `${formatMonth(m.month)}: ${MOVEMENT_SERIES.map((s) => `${s.name} ${formatUsd(m.movements[s.key])}`).join(", ")}`,
                  }))}
                  labelAt={insights.months.map((_, i) => i)}
                  formatValue={formatUsd}
                />
                <table style={TABLE} data-testid="movements">
                  <thead>
                    <tr>
                      <th scope="col">Month</th>
                      {MOVEMENT_SERIES.map((s) => (
                        <th scope="col" key={s.key}>
                          {s.name}
                        </th>
                      ))}
                      <th scope="col">net</th>
                    </tr>
                  </thead>
                  <tbody>
                    {insights.months.map((m) => (
                      <tr key={m.month}>
                        <th scope="row">{formatMonth(m.month)}</th>
                        {MOVEMENT_SERIES.map((s) => (
                          <td key={s.key}>
                            {m.movements[s.key] ? (
                              <Link to={link(`${s.key}:${m.month}`)} preventScrollReset>
                                {`${s.direction === "up" ? "+" : "−"}${formatUsd(m.movements[s.key])}`}
                              </Link>
                            ) : (
                              "—"
                            )}
                          </td>
                        ))}
                        <td>{formatUsd(m.movements.new + m.movements.expansion - m.movements.contraction - m.movements.churned)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Logo churn per month
                </Text>
                <table style={TABLE} data-testid="logo-churn">
                  <thead>
                    <tr>
                      <th scope="col">Month</th>
                      <th scope="col">installed at start</th>
                      <th scope="col">uninstalled</th>
                      <th scope="col">churn</th>
                    </tr>
                  </thead>
                  <tbody>
                    {insights.months.map((m) => (
                      <tr key={m.month}>
                        <th scope="row">{formatMonth(m.month)}</th>
                        <td>{m.installedAtStart}</td>
                        <td>
                          {m.uninstalled ? (
                            <Link to={link(`logo-churn:${m.month}`)} preventScrollReset>
                              {m.uninstalled}
                            </Link>
                          ) : (
                            "0"
                          )}
                        </td>
                        <td>{percent(m.uninstalled, m.installedAtStart)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Text as="p" tone="subdued" variant="bodySm">
                  Uninstalls in the month over the merchants installed when it began (a merchant installed during the month who leaves in it counts
                  too). The first and last months are partial.
                </Text>
              </BlockStack>
            </Card>
          </InlineGrid>
        </>
      )}
      {insights.cohort ? <CohortList cohort={insights.cohort} base={base} /> : null}
    </BlockStack>
  );
}

function CohortList({ cohort, base }: { cohort: NonNullable<AppInsights["cohort"]>; base: string }) {
  const appBase = base.replace(/\/dashboard$/, "");
  return (
    <div id="merchants">
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {`${cohortTitle(cohort.key)}: ${cohort.total}`}
          </Text>
          {cohort.total === 0 ? (
            <Text as="p" tone="subdued">
              No merchant here.
            </Text>
          ) : (
            <ul data-testid="cohort-merchants" style={{ margin: 0, paddingLeft: 20 }}>
              {cohort.merchants.map((m) => (
                <li key={m.contactId}>
                  <Link to={`${appBase}/merchants/${m.contactId}`}>{m.shop ?? m.name ?? `#${m.contactId}`}</Link>
                  {m.name && m.shop ? ` · ${m.name}` : ""} · {m.plan ?? "no plan"}
                  {m.mrr ? ` · ${formatUsd(m.mrr)}/month` : ""}
                </li>
              ))}
            </ul>
          )}
          {cohort.total > cohort.merchants.length ? <Text as="p" tone="subdued">{`The first ${cohort.merchants.length} by domain.`}</Text> : null}
          <Link to={base} preventScrollReset>
            Close the list
          </Link>
        </BlockStack>
      </Card>
    </div>
  );
}
