// A value over days as an SVG line with its area, a value axis with round ticks, day labels and
// a native tooltip (<title>) per day: rendered on the server, readable without JavaScript.
import { valueTicks } from "./axes";

export type LinePoint = { label: string; value: number; tooltip: string };

const HEIGHT = 220;
const PAD = { left: 60, right: 12, top: 12, bottom: 28 };

export function LineChart({
  label,
  points,
  labelAt,
  formatValue,
  width = 720,
}: {
  label: string;
  points: LinePoint[];
  labelAt: number[];
  formatValue: (v: number) => string;
  /** The drawing's width in its own units: wider for a full-width card, so its text keeps its size. */
  width?: number;
}) {
  const WIDTH = width;
  const ticks = valueTicks(Math.max(0, ...points.map((p) => p.value)));
  const top = ticks[ticks.length - 1];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, points.length - 1);
  const x = (i: number) => PAD.left + (points.length === 1 ? plotW / 2 : i * slot);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const line = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join("");
  const area = `${line}L${x(points.length - 1).toFixed(1)},${y(0)}L${x(0).toFixed(1)},${y(0)}Z`;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} style={{ width: "100%", height: "auto", display: "block" }}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} stroke={t === 0 ? "#8a8a8a" : "#e3e3e3"} />
          <text x={PAD.left - 6} y={y(t) + 4} fontSize={11} textAnchor="end" fill="#616161">
            {formatValue(t)}
          </text>
        </g>
      ))}
      {labelAt.map((i) => (
        <g key={i}>
          <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(0) + 4} stroke="#8a8a8a" />
          <text x={x(i)} y={HEIGHT - 8} fontSize={11} textAnchor={i === points.length - 1 ? "end" : "middle"} fill="#616161">
            {points[i].label}
          </text>
        </g>
      ))}
      <path d={area} fill="#2c6ecb" fillOpacity={0.12} />
      <path d={line} fill="none" stroke="#2c6ecb" strokeWidth={2} />
      {points.map((p, i) => (
        // One hover band per day: its <title> is the day's tooltip.
        <rect key={i} x={x(i) - slot / 2} y={PAD.top} width={Math.max(slot, 2)} height={plotH} fill="transparent" data-testid="chart-point">
          <title>{p.tooltip}</title>
        </rect>
      ))}
    </svg>
  );
}
