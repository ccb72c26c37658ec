// Values per period as SVG bars, stacked up from a zero line (gains) and down from it (losses),
// with a value axis, period labels, a legend and a native tooltip (<title>) per period.
import { valueTicks } from "./axes";

export type BarSeries = { name: string; color: string; direction: "up" | "down" };
export type BarBucket = { label: string; values: number[]; tooltip: string };

const HEIGHT = 220;
const PAD = { left: 60, right: 12, top: 22, bottom: 28 };

export function BarChart({
  label,
  series,
  buckets,
  labelAt,
  formatValue,
  whole = false,
  width = 720,
}: {
  label: string;
  series: BarSeries[];
  buckets: BarBucket[];
  labelAt: number[];
  formatValue: (v: number) => string;
  /** Values are counts: ticks step by whole numbers. */
  whole?: boolean;
  /** The drawing's width in its own units: wider for a full-width card, so its text keeps its size. */
  width?: number;
}) {
  const WIDTH = width;
  const total = (b: BarBucket, direction: BarSeries["direction"]) =>
    b.values.reduce((sum, v, i) => sum + (series[i].direction === direction ? v : 0), 0);
  const hasDown = series.some((s) => s.direction === "down");
  const upTicks = valueTicks(Math.max(0, ...buckets.map((b) => total(b, "up"))), hasDown ? 2 : 4, { whole });
  const downTicks = hasDown ? valueTicks(Math.max(0, ...buckets.map((b) => total(b, "down"))), 2, { whole }) : [0];
  const upMax = upTicks[upTicks.length - 1];
  const downMax = downTicks[downTicks.length - 1];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  // The zero line splits the height in proportion to the largest gain and loss.
  const zero = PAD.top + (hasDown ? plotH * (upMax / (upMax + downMax)) : plotH);
  const unit = plotH / (upMax + (hasDown ? downMax : 0));
  const slot = plotW / Math.max(1, buckets.length);
  const bar = Math.max(2, Math.min(48, slot * 0.6));
  const center = (i: number) => PAD.left + i * slot + slot / 2;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} style={{ width: "100%", height: "auto", display: "block" }}>
      {upTicks.map((t) => (
        <g key={`u${t}`}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={zero - t * unit} y2={zero - t * unit} stroke={t === 0 ? "#8a8a8a" : "#e3e3e3"} />
          <text x={PAD.left - 6} y={zero - t * unit + 4} fontSize={11} textAnchor="end" fill="#616161">
            {formatValue(t)}
          </text>
        </g>
      ))}
      {downTicks.slice(1).map((t) => (
        <g key={`d${t}`}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={zero + t * unit} y2={zero + t * unit} stroke="#e3e3e3" />
          <text x={PAD.left - 6} y={zero + t * unit + 4} fontSize={11} textAnchor="end" fill="#616161">
            {`−${formatValue(t)}`}
          </text>
        </g>
      ))}
      {buckets.map((b, i) => {
        let up = zero;
        let down = zero;
        return (
          <g key={i} data-testid="chart-bar">
            <title>{b.tooltip}</title>
            <rect x={center(i) - slot / 2} y={PAD.top} width={slot} height={plotH} fill="transparent" />
            {b.values.map((v, s) => {
              if (!v) return null;
              const h = v * unit;
              const yTop = series[s].direction === "up" ? (up -= h) : ((down += h), down - h);
              return <rect key={s} x={center(i) - bar / 2} y={yTop} width={bar} height={h} fill={series[s].color} />;
            })}
          </g>
        );
      })}
      {labelAt.map((i) => (
        <text
          key={i}
          x={center(i)}
          y={HEIGHT - 8}
          fontSize={11}
          textAnchor={i === buckets.length - 1 && buckets.length > 12 ? "end" : "middle"}
          fill="#616161"
        >
          {buckets[i].label}
        </text>
      ))}
      {series.map((s, i) => (
        <g key={s.name}>
          <rect x={PAD.left + i * 110} y={4} width={10} height={10} fill={s.color} />
          <text x={PAD.left + i * 110 + 14} y={13} fontSize={11} fill="#303030">
            {s.name}
          </text>
        </g>
      ))}
    </svg>
  );
}
