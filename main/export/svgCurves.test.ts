import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../preload/contract';
import { curveSvg, metricCharts, tickLabel } from './svgCurves';

const points = (name: string, values: number[], every = 1): MetricPoint[] =>
  values.map((value, i) => ({ name, step: (i + 1) * every, value }));

describe('metricCharts', () => {
  it('draws a chart per metric, loss first, with the validation twin on the same chart', () => {
    const charts = metricCharts([
      ...points('kl', [3, 2]),
      ...points('loss', [5, 4, 3, 2]),
      ...points('val_loss', [4.5, 2.5], 2),
      ...points('eval_kid', [0.1]),
    ]);
    expect(charts.map((c) => c.metric)).toEqual(['loss', 'eval_kid', 'kl']);
    expect(charts[0]?.lines.map((l) => [l.label, l.points.length, l.validation ?? false])).toEqual([
      ['train', 4, false],
      ['validation', 2, true],
    ]);
  });

  it('leaves out values that are not finite (a diverged step)', () => {
    const [chart] = metricCharts([...points('loss', [1, Number.NaN, Infinity, 0.5])]);
    expect(chart?.lines[0]?.points.map((p) => p.value)).toEqual([1, 0.5]);
  });
});

describe('curveSvg', () => {
  it('is one svg element with a polyline through every point, inside the plot, by step', () => {
    const [chart] = metricCharts(points('loss', [4, 3, 2, 1]));
    const svg = curveSvg(chart!).markup;
    expect(svg).toMatch(/^<svg\s+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const polyline = /<polyline[^>]* points="([^"]+)"/.exec(svg);
    const xy = (polyline?.[1] ?? '').split(' ').map((p) => p.split(',').map(Number));
    expect(xy).toHaveLength(4);
    // Steps go right, a falling loss goes down the chart (up in SVG's y).
    for (let i = 1; i < xy.length; i++) {
      expect(xy[i]![0]!).toBeGreaterThan(xy[i - 1]![0]!);
      expect(xy[i]![1]!).toBeGreaterThan(xy[i - 1]![1]!);
    }
    for (const [x, y] of xy) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(420);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(200);
    }
    // The axes name the range of steps and values.
    const labels = [...svg.matchAll(/<text[^>]*>\s*([^<]*?)\s*<\/text\s*>/g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(['4.00', '1.00', '1', '4', 'step']));
  });

  it('draws validation as dots on a dashed line, and a lone point as a dot', () => {
    const [loss] = metricCharts([...points('loss', [3, 2, 1]), ...points('val_loss', [2.5, 1.5])]);
    const svg = curveSvg(loss!).markup;
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray');
    expect(svg.match(/<circle/g)).toHaveLength(2);
    const [single] = metricCharts(points('eval_kid', [0.25]));
    const lone = curveSvg(single!).markup;
    expect(lone).not.toContain('<polyline');
    expect(lone.match(/<circle/g)).toHaveLength(1);
    expect(lone).not.toContain('NaN');
  });

  it('thins a long run to a bounded number of points, keeping the last', () => {
    const values = Array.from({ length: 5000 }, (_, i) => 1 / (i + 1));
    const [chart] = metricCharts(points('loss', values));
    const svg = curveSvg(chart!).markup;
    const drawn = (/<polyline[^>]* points="([^"]+)"/.exec(svg)?.[1] ?? '').split(' ');
    expect(drawn.length).toBeLessThanOrEqual(601);
    expect(drawn.at(-1)?.split(',')[0]).toBe('408.0');
    expect(svg).toContain('data-points="5000"');
  });

  it('escapes the metric name', () => {
    const svg = curveSvg({
      metric: '<x">',
      lines: [{ label: 'train', points: [{ step: 1, value: 1 }] }],
    });
    expect(svg.markup).not.toContain('<x">');
  });
});

describe('tickLabel', () => {
  it('keeps labels short', () => {
    expect([0, 0.012345, 1.2345, 123.4, 123456, 0.00001].map(tickLabel)).toEqual([
      '0',
      '0.0123',
      '1.23',
      '123',
      '1.2e+5',
      '1.0e-5',
    ]);
  });
});
