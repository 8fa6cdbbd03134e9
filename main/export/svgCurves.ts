import type { MetricPoint } from '../../preload/contract';
import { baseMetricNames } from '../../shared/runs/metricNames';
import { html, type SafeHtml } from './htmlEscape';

// The run report's curves: plain inline SVG, so the file needs no script and no chart library
// to show them, in any browser, offline. One chart per metric with its validation twin on it,
// the same charts the run view draws.

export interface CurveLine {
  label: string;
  points: { step: number; value: number }[];
  /** Validation: few points, drawn as dots on a dashed line. */
  validation?: boolean;
}

export interface CurveChart {
  metric: string;
  lines: CurveLine[];
}

const WIDTH = 420;
const HEIGHT = 200;
const PAD = { left: 56, right: 12, top: 12, bottom: 30 };
/** Above this many points a line is thinned evenly: a 420-pixel chart shows no more. */
const MAX_POINTS = 600;
const COLORS = { train: '#4263eb', validation: '#f76707' };

/** The charts of a run's metrics: one per metric, its `val_` twin drawn on the same chart. */
export function metricCharts(points: readonly MetricPoint[]): CurveChart[] {
  const pointsOf = (name: string) =>
    points
      .filter((p) => p.name === name && Number.isFinite(p.value))
      .map((p) => ({ step: p.step, value: p.value }))
      .sort((a, b) => a.step - b.step);
  return baseMetricNames(points)
    .map((metric) => ({
      metric,
      lines: [
        { label: 'train', points: pointsOf(metric) },
        { label: 'validation', points: pointsOf(`val_${metric}`), validation: true },
      ].filter((line) => line.points.length > 0),
    }))
    .filter((chart) => chart.lines.length > 0);
}

function thin<T>(points: readonly T[]): T[] {
  if (points.length <= MAX_POINTS) return [...points];
  const stride = points.length / MAX_POINTS;
  const out = Array.from({ length: MAX_POINTS }, (_, i) => points[Math.floor(i * stride)] as T);
  out.push(points[points.length - 1] as T);
  return out;
}

/** Short tick labels: 0.0123, 1.23, 123, 1.2e+5. */
export function tickLabel(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(1);
  return magnitude >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

const coordinate = (n: number): string => n.toFixed(1);

/** One chart as an `<svg>` element: axes with the step and value ranges, a line per series. */
export function curveSvg(chart: CurveChart): SafeHtml {
  const all = chart.lines.flatMap((line) => line.points);
  const steps = all.map((p) => p.step);
  const values = all.map((p) => p.value);
  const minStep = Math.min(...steps);
  const maxStep = Math.max(...steps);
  let minValue = Math.min(...values);
  let maxValue = Math.max(...values);
  // A flat line (or one point) still needs a band to sit in.
  if (minValue === maxValue) {
    const band = Math.abs(minValue) * 0.1 || 1;
    minValue -= band;
    maxValue += band;
  }
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (step: number) =>
    PAD.left +
    (maxStep === minStep ? plotWidth / 2 : ((step - minStep) / (maxStep - minStep)) * plotWidth);
  const y = (value: number) =>
    PAD.top + (1 - (value - minValue) / (maxValue - minValue)) * plotHeight;

  const lines = chart.lines.map((line) => {
    const color = line.validation ? COLORS.validation : COLORS.train;
    const drawn = thin(line.points);
    const path = drawn.map((p) => `${coordinate(x(p.step))},${coordinate(y(p.value))}`).join(' ');
    const dots =
      line.validation || drawn.length === 1
        ? drawn.map(
            (p) =>
              html`<circle
                cx="${coordinate(x(p.step))}"
                cy="${coordinate(y(p.value))}"
                r="2.5"
                fill="${color}"
                ><title>${line.label} ${tickLabel(p.value)} at step ${p.step}</title></circle
              >`,
          )
        : [];
    return html`<g class="line" data-series="${line.label}" data-points="${line.points.length}"
      >${
        drawn.length > 1
          ? html`<polyline
              fill="none"
              stroke="${color}"
              stroke-width="1.5"
              ${line.validation ? html` stroke-dasharray="4 3"` : ''}
              points="${path}"
            />`
          : ''
      }${dots}</g
    >`;
  });
  const legend = chart.lines.map(
    (line, i) =>
      html`<text
        x="${PAD.left + 8 + i * 90}"
        y="${PAD.top + 12}"
        font-size="11"
        fill="${line.validation ? COLORS.validation : COLORS.train}"
        >— ${line.label}</text
      >`,
  );
  const bottom = PAD.top + plotHeight;
  return html`<svg
    xmlns="http://www.w3.org/2000/svg"
    class="curve"
    data-metric="${chart.metric}"
    viewBox="0 0 ${WIDTH} ${HEIGHT}"
    width="${WIDTH}"
    height="${HEIGHT}"
    role="img"
    aria-label="${chart.metric} by step"
  >
    <title>${chart.metric} by step</title>
    <rect
      x="${PAD.left}"
      y="${PAD.top}"
      width="${plotWidth}"
      height="${plotHeight}"
      fill="#fff"
      stroke="#ced4da"
    />
    <text x="${PAD.left - 6}" y="${PAD.top + 10}" font-size="10" text-anchor="end" fill="#495057">
      ${tickLabel(maxValue)}
    </text>
    <text x="${PAD.left - 6}" y="${bottom}" font-size="10" text-anchor="end" fill="#495057">
      ${tickLabel(minValue)}
    </text>
    <text x="${PAD.left}" y="${bottom + 14}" font-size="10" fill="#495057">${minStep}</text>
    <text
      x="${PAD.left + plotWidth}"
      y="${bottom + 14}"
      font-size="10"
      text-anchor="end"
      fill="#495057"
    >
      ${maxStep}
    </text>
    <text
      x="${PAD.left + plotWidth / 2}"
      y="${bottom + 26}"
      font-size="10"
      text-anchor="middle"
      fill="#868e96"
    >
      step
    </text>
    ${lines}${legend}
  </svg>`;
}
