// Installs (up) and uninstalls (down) per day, with a count axis, dates and a tooltip per day.
import type { DayCount } from "../console/dashboard.server";
import { BarChart } from "./charts/BarChart";
import { dayLabelIndices, formatDay } from "./charts/axes";

const SERIES = [
  { name: "installs", color: "#29845a", direction: "up" },
  { name: "uninstalls", color: "#c70a24", direction: "down" },
] as const;

export function InstallsChart({ data }: { data: DayCount[] }) {
  return (
    <BarChart
      label="Installs and uninstalls per day"
      series={[...SERIES]}
      buckets={data.map((d) => ({
        label: formatDay(d.day),
        values: [d.installs, d.uninstalls],
        tooltip: `${formatDay(d.day)}: ${d.installs} installs, ${d.uninstalls} uninstalls`,
      }))}
      labelAt={dayLabelIndices(data.length)}
      formatValue={(v) => String(v)}
      whole
      width={1200}
    />
  );
}
