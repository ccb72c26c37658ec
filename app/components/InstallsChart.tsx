// Installs (up) and uninstalls (down) per day as a small SVG bar chart: no chart library.
import type { DayCount } from "../console/dashboard.server";

export function InstallsChart({ data }: { data: DayCount[] }) {
  const width = 720;
  const height = 180;
  const mid = height / 2;
  const max = Math.max(1, ...data.map((d) => Math.max(d.installs, d.uninstalls)));
  const slot = width / Math.max(1, data.length);
  const bar = Math.max(2, slot * 0.6);
  const scale = (n: number) => (n / max) * (mid - 12);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Installs and uninstalls per day" style={{ width: "100%", height: "auto" }}>
      <line x1={0} x2={width} y1={mid} y2={mid} stroke="#c9cccf" />
      {data.map((d, i) => {
        const x = i * slot + (slot - bar) / 2;
        return (
          <g key={d.day}>
            <title>{`${d.day}: ${d.installs} installs, ${d.uninstalls} uninstalls`}</title>
            {d.installs ? <rect x={x} y={mid - scale(d.installs)} width={bar} height={scale(d.installs)} fill="#29845a" rx={1} /> : null}
            {d.uninstalls ? <rect x={x} y={mid} width={bar} height={scale(d.uninstalls)} fill="#c70a24" rx={1} /> : null}
          </g>
        );
      })}
      <text x={4} y={12} fontSize={11} fill="#616161">installs</text>
      <text x={4} y={height - 4} fontSize={11} fill="#616161">uninstalls</text>
    </svg>
  );
}
