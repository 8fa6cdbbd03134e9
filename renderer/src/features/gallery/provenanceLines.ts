import type { GallerySample } from '../../../../preload/contract';

/** What the gallery says about how a sample was drawn, one "name: value" pair per line. */
export function provenanceLines(sample: GallerySample): [string, string][] {
  const p = sample.provenance;
  const lines: [string, string][] = [
    ['Run', `#${sample.runId} · ${sample.presetId}`],
    ['Dataset', `${sample.datasetName} v${sample.versionNumber}`],
    ['Step', String(sample.step)],
    ['Drawn', p.origin === 'training' ? 'during training' : `later (${p.origin})`],
  ];
  if (p.seed !== null) lines.push(['Seed', String(p.seed)]);
  if (p.latentIndex !== null) {
    lines.push([sample.kind === 'text' ? 'Text index' : 'Latent index', String(p.latentIndex)]);
  }
  if (p.classLabel !== null) lines.push(['Class asked for', p.classLabel]);
  if (sample.kind === 'text') {
    lines.push(['Prompt', p.prompt === null ? 'unknown' : p.prompt === '' ? '(none)' : p.prompt]);
    if (p.temperature !== null) lines.push(['Temperature', String(p.temperature)]);
    if (p.topK !== null) lines.push(['Top-k', p.topK === 0 ? 'all' : String(p.topK)]);
    if (p.topP !== null) lines.push(['Top-p', String(p.topP)]);
  }
  return lines;
}

/** One line for a tile's tooltip and for screen readers. */
export function provenanceSummary(sample: GallerySample): string {
  return provenanceLines(sample)
    .map(([name, value]) => `${name}: ${value}`)
    .join(' · ');
}
