import type {
  AuditSummary,
  BestCheckpoint,
  RunDetail,
  RunEvaluation,
} from '../../preload/contract';
import {
  formatFigure,
  IMAGE_SECTIONS,
  TEXT_SECTIONS,
  verdict,
} from '../../shared/evaluation/verdict';
import { html, SafeHtml } from './htmlEscape';
import { curveSvg, metricCharts, tickLabel, type CurveChart } from './svgCurves';

// The run report as one HTML page. Everything it shows is in the file (curves as SVG, images
// as data: URIs), and its Content-Security-Policy allows no script and no request at all: it
// opens the same offline, from a mail attachment or a USB stick, years later.

/** One cell of a sample grid: an image's PNG (null when its file could not be read) or a text. */
export type ReportCell =
  | { kind: 'image'; index: number; dataUri: string | null; width: number; height: number }
  | { kind: 'text'; index: number; text: string | null };

export interface ReportGrid {
  step: number;
  cells: ReportCell[];
}

export interface RunReportData {
  run: RunDetail;
  evaluation: RunEvaluation | null;
  /** The newest completed audit of the run's dataset version, if one ran. */
  audit: AuditSummary | null;
  best: BestCheckpoint | null;
  /** The latest step's grid first, then a few steps over training, oldest first. */
  grids: ReportGrid[];
  generatedAt: string;
}

export const REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
/** Written as it is (a constant of ours): the policy reads the same in the file as here. */
const CSP_META = new SafeHtml(
  `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}" />`,
);

// Our own constant, written as it is: a <style> element does not decode entities.
const STYLE = new SafeHtml(`
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif; color: #212529;
  margin: 0 auto; max-width: 1100px; padding: 24px; background: #f8f9fa; }
h1 { margin: 0 0 4px; font-size: 24px; } h2 { margin: 28px 0 8px; font-size: 18px; }
h3 { margin: 12px 0 4px; font-size: 13px; text-transform: uppercase; color: #868e96; }
section { background: #fff; border: 1px solid #dee2e6; border-radius: 8px; padding: 12px 16px; }
.muted { color: #868e96; } .verdict { background: #edf2ff; border-radius: 6px; padding: 10px 12px; }
table { border-collapse: collapse; } td, th { padding: 3px 10px 3px 0; text-align: left;
  vertical-align: top; } th { color: #495057; font-weight: 600; }
.num { font-variant-numeric: tabular-nums; }
.curves { display: flex; flex-wrap: wrap; gap: 12px; } .curves figure { margin: 0; }
.curves figcaption { font-weight: 600; font-size: 13px; }
.once svg { width: 210px; height: 100px; } .once figcaption { font-size: 11px; }
.grid { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 8px; }
.grid img { width: 56px; height: 56px; image-rendering: pixelated; background: #000; }
.missing { width: 56px; height: 56px; display: flex; align-items: center; justify-content: center;
  background: #f1f3f5; color: #868e96; font-size: 10px; text-align: center; }
.text-sample { white-space: pre-wrap; font: 12px/1.4 ui-monospace, monospace; background: #f8f9fa;
  border: 1px solid #e9ecef; padding: 6px; margin: 0 0 6px; width: 100%; }
pre.config { white-space: pre-wrap; font: 12px/1.4 ui-monospace, monospace; margin: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 24px; } .figure b { font-size: 15px; }
`);

const number = (value: number | null | undefined, digits = 4): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : Math.abs(value) >= 100
      ? value.toFixed(1)
      : value.toPrecision(digits);

function wallSeconds(run: RunDetail): number | null {
  if (!run.startedAt || !run.endedAt) return null;
  const seconds = (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
  return seconds > 0 ? seconds : null;
}

function facts(rows: [string, string | SafeHtml][]): SafeHtml {
  return html`<table>
    ${rows.map(
      ([label, value]) =>
        html`<tr>
          <th>${label}</th>
          <td>${value}</td>
        </tr>`,
    )}
  </table>`;
}

function reportCard(data: RunReportData): SafeHtml {
  const { evaluation, run } = data;
  if (!evaluation) {
    return html`<section id="report-card">
      <p class="muted">
        Run ${run.id} has not been evaluated yet (its realism, diversity and memorisation figures):
        evaluate it in the run view or with <code>studio evaluate --run ${run.id}</code>, then
        export the report again.
      </p>
    </section>`;
  }
  const sections = evaluation.kind === 'text' ? TEXT_SECTIONS : IMAGE_SECTIONS;
  const shown = sections
    .map((section) => ({
      ...section,
      figures: section.figures.filter((f) => evaluation.metrics[f.metric] !== undefined),
    }))
    .filter((section) => section.figures.length > 0);
  return html`<section id="report-card">
    <p class="verdict" id="verdict">${verdict(evaluation, data.audit)}</p>
    <div class="figures">
      ${shown.map(
        (section) =>
          html`<div>
            <h3>${section.title}</h3>
            ${section.figures.map(
              (f) =>
                html`<div class="figure" data-metric="${f.metric}">
                  <b class="num">${formatFigure(evaluation.metrics[f.metric], f.format)}</b>
                  ${f.label}
                  <div class="muted">${f.good}</div>
                </div>`,
            )}
          </div>`,
      )}
    </div>
    <p class="muted">
      Evaluated at step ${evaluation.step} on ${evaluation.sampleCount} samples (seed
      ${evaluation.seed}), ${evaluation.createdAt}.
    </p>
  </section>`;
}

function metricsTable(run: RunDetail): SafeHtml {
  const names = Object.keys(run.metricSummary).sort();
  if (names.length === 0) return html`<section><p class="muted">No metrics recorded.</p></section>`;
  return html`<section>
    <table id="metrics">
      <tr>
        <th>metric</th>
        <th>final</th>
        <th>best</th>
        <th></th>
      </tr>
      ${names.map((name) => {
        const m = run.metricSummary[name];
        return m
          ? html`<tr data-metric="${name}">
              <td>${name}</td>
              <td class="num">${number(m.final)}</td>
              <td class="num">${number(m.best)}</td>
              <td class="muted">${m.better} is better</td>
            </tr>`
          : '';
      })}
    </table>
  </section>`;
}

function curves(run: RunDetail): SafeHtml {
  const charts = metricCharts(run.metrics);
  if (charts.length === 0) return html`<section><p class="muted">No steps recorded.</p></section>`;
  // Metrics measured once (an evaluation at the end) are a dot each: drawn small, after the curves.
  const once = (chart: CurveChart) => chart.lines.every((line) => line.points.length === 1);
  const figure = (chart: CurveChart) =>
    html`<figure>
      <figcaption>${chart.metric}</figcaption>
      ${curveSvg(chart)}
    </figure>`;
  const single = charts.filter(once);
  return html`<section id="curves">
    <div class="curves">${charts.filter((c) => !once(c)).map(figure)}</div>
    ${single.length > 0 ? html`<h3>Measured once</h3>` : ''}
    <div class="curves once">${single.map(figure)}</div>
  </section>`;
}

function cell(c: ReportCell, step: number): SafeHtml {
  if (c.kind === 'text') {
    return c.text === null
      ? html`<pre class="text-sample missing-text">
(sample ${c.index}: its file could not be read)</pre>`
      : html`<pre class="text-sample">${c.text}</pre>`;
  }
  return c.dataUri === null
    ? html`<div class="missing" title="sample ${c.index} at step ${step}">file missing</div>`
    : html`<img
        src="${c.dataUri}"
        alt="Sample ${c.index} at step ${step}"
        width="56"
        height="56"
      />`;
}

function samples(grids: readonly ReportGrid[]): SafeHtml {
  if (grids.length === 0) return html`<section><p class="muted">No samples yet.</p></section>`;
  const [latest, ...over] = grids;
  const grid = (g: ReportGrid, id: string) =>
    html`<div class="grid" id="${id}" data-step="${g.step}">
      ${g.cells.map((c) => cell(c, g.step))}
    </div>`;
  return html`<section id="samples">
    <h3>Latest: step ${latest?.step}</h3>
    ${latest ? grid(latest, 'grid-latest') : ''}
    ${over.length > 0 ? html`<h3>Over training (same seed at each step)</h3>` : ''}${over.map(
      (g) =>
        html`<div class="muted">step ${g.step}</div>
          ${grid(g, `grid-step-${g.step}`)}`,
    )}
  </section>`;
}

function datasetVersion(data: RunReportData): SafeHtml {
  const { run, audit } = data;
  const counts = audit ? Object.entries(audit.counts).filter(([, n]) => (n ?? 0) > 0) : [];
  return html`<section id="dataset-version">
    ${facts([
      ['Dataset', `${run.datasetName} (id ${run.datasetId})`],
      ['Version', `v${run.versionNumber} (id ${run.versionId})`],
      [
        'Audit score',
        audit?.score === null || audit === null
          ? 'not audited'
          : html`<span id="audit-score">${Math.round(audit.score)}</span> / 100 (audit
              ${audit.auditId}, ${audit.itemCount} items, ${audit.finishedAt ?? audit.startedAt})`,
      ],
    ])}${
      audit
        ? counts.length > 0
          ? html`<h3>Findings</h3>
              <table id="audit-findings">
                ${counts.map(
                  ([type, n]) =>
                    html`<tr>
                      <td>${type}</td>
                      <td class="num">${n ?? 0}</td>
                    </tr>`,
                )}
              </table>`
          : html`<p class="muted">The audit found nothing.</p>`
        : ''
    }
  </section>`;
}

function cost(data: RunReportData): SafeHtml {
  const { run, evaluation } = data;
  const seconds = evaluation?.cost.wallSeconds ?? wallSeconds(run);
  const c = evaluation?.cost;
  const rows: [string, string][] = [
    [
      'Backend',
      c ? `${c.backend}${c.threads ? ` × ${c.threads} threads` : ''}` : (run.backend ?? '—'),
    ],
    ['Wall time', seconds === null ? '—' : `${seconds.toFixed(1)} s`],
    [
      'Steps / s',
      c?.stepsPerSecond != null
        ? c.stepsPerSecond.toFixed(2)
        : seconds
          ? (run.step / seconds).toFixed(2)
          : '—',
    ],
  ];
  if (c) {
    rows.push(['Parameters', c.parameters.toLocaleString('en-US')]);
    rows.push(
      evaluation?.kind === 'text' && c.msPerCharacter !== null
        ? ['Generation', `${c.msPerCharacter.toFixed(2)} ms per character`]
        : ['Generation', `${c.msPerSample.toFixed(2)} ms per sample`],
    );
    if (c.memoryBytes !== null)
      rows.push(['Tensors', `${(c.memoryBytes / 2 ** 20).toFixed(1)} MB`]);
    rows.push(['Evaluation', `${c.evaluationSeconds.toFixed(1)} s`]);
  }
  return html`<section id="cost">${facts(rows)}</section>`;
}

function checkpoints(data: RunReportData): SafeHtml {
  const { run, best } = data;
  return html`<section id="checkpoints">
    ${facts([
      [
        'Latest',
        run.checkpointStep === null
          ? 'none'
          : `step ${run.checkpointStep}${run.checkpointAt ? `, ${run.checkpointAt}` : ''}`,
      ],
      [
        'Best',
        best
          ? `step ${best.step} by ${best.metric}${best.value === null ? '' : ` (${tickLabel(best.value)})`}`
          : 'none kept',
      ],
    ])}
  </section>`;
}

/** The whole report page: escaped throughout, no script, nothing fetched. */
export function reportPage(data: RunReportData): string {
  const { run } = data;
  const title = run.name ?? `Run #${run.id}`;
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        ${CSP_META}
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — Generative Studio run report</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body data-run-id="${run.id}">
        <h1 id="run-title">${title}</h1>
        <p class="muted">
          Run ${run.id} · ${run.family} · preset ${run.presetId} · ${run.status} at step ${run.step}
          of ${run.totalSteps} · ${run.datasetName} v${run.versionNumber} · report written
          ${data.generatedAt}
        </p>
        ${run.tags.length > 0 ? html`<p>Tags: ${run.tags.join(', ')}</p>` : ''}
        ${run.notes ? html`<p id="run-notes">${run.notes}</p>` : ''}
        ${run.message ? html`<p class="muted">${run.message}</p>` : ''}
        <h2>Report card</h2>
        ${reportCard(data)}
        <h2>Metrics</h2>
        ${metricsTable(run)}
        <h2>Curves</h2>
        ${curves(run)}
        <h2>Samples</h2>
        ${samples(data.grids)}
        <h2>Dataset version</h2>
        ${datasetVersion(data)}
        <h2>Cost</h2>
        ${cost(data)}
        <h2>Checkpoints</h2>
        ${checkpoints(data)}
        <h2>Resolved config</h2>
        <section>
          <pre class="config" id="config">${JSON.stringify(run.config, null, 2)}</pre>
        </section>
      </body>
    </html> `;
  return page.markup;
}
