import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { MetricPoint, RunEvaluation, RunSummary } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import { EvaluationCharts } from './EvaluationCharts';
import { CopiedStretch, NearestTrainingItem } from './NearestTrainingItem';
import { useEvaluation, useVersionAudit } from './useEvaluation';
import {
  formatFigure,
  IMAGE_SECTIONS,
  TEXT_SECTIONS,
  verdict,
  type FigureSection,
} from '../../../../shared/evaluation/verdict';

function Section({
  section,
  metrics,
}: {
  section: FigureSection;
  metrics: Record<string, number>;
}) {
  const shown = section.figures.filter((f) => metrics[f.metric] !== undefined);
  if (shown.length === 0) return null;
  return (
    <Stack gap={4}>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {section.title}
      </Text>
      {shown.map((f) => (
        <div key={f.metric} data-testid={`figure-${f.metric}`}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={600}>
              {formatFigure(metrics[f.metric], f.format)}
            </Text>
            <Text size="sm">{f.label}</Text>
          </Group>
          <Text size="xs" c="dimmed" lh={1.3}>
            {f.good}
          </Text>
        </div>
      ))}
    </Stack>
  );
}

function Cost({ evaluation }: { evaluation: RunEvaluation }) {
  const { cost } = evaluation;
  const parts = [
    `${cost.parameters.toLocaleString()} parameters`,
    `${cost.backend}${cost.threads ? ` × ${cost.threads} threads` : ''}`,
    cost.wallSeconds === null ? null : `trained in ${cost.wallSeconds.toFixed(1)} s`,
    cost.stepsPerSecond === null ? null : `${cost.stepsPerSecond.toFixed(1)} steps/s`,
    evaluation.kind === 'text' && cost.msPerCharacter !== null
      ? `${cost.msPerCharacter.toFixed(2)} ms per character`
      : `${cost.msPerSample.toFixed(2)} ms per sample`,
    cost.memoryBytes === null ? null : `${(cost.memoryBytes / 2 ** 20).toFixed(1)} MB of tensors`,
    `evaluated in ${cost.evaluationSeconds.toFixed(1)} s`,
  ];
  return (
    <Text size="xs" c="dimmed" data-testid="evaluation-cost">
      Cost: {parts.filter((p) => p !== null).join(' · ')}
    </Text>
  );
}

/** The run's report card (issue 11): its figures, a verdict and the evidence behind it. */
export function ReportCard({
  run,
  metrics,
  onEvaluated,
}: {
  run: RunSummary;
  metrics: MetricPoint[];
  onEvaluated: () => void;
}) {
  const state = useEvaluation(run.id);
  const audit = useVersionAudit(run.datasetId, run.versionId);
  const evaluation = state.evaluation;
  const canEvaluate = run.checkpointStep !== null && run.status !== 'running';
  const sections = evaluation?.kind === 'text' ? TEXT_SECTIONS : IMAGE_SECTIONS;
  return (
    <Card withBorder data-testid="report-card" data-evaluated={evaluation !== null}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={5}>Report card{evaluation ? ` · step ${evaluation.step}` : ''}</Title>
          <Button
            size="xs"
            variant="light"
            data-testid="evaluate-run"
            disabled={!canEvaluate}
            loading={state.pending}
            onClick={() =>
              void state.evaluate().then(() => {
                onEvaluated();
              })
            }
          >
            {evaluation ? 'Evaluate again' : 'Evaluate'}
          </Button>
        </Group>
        <ErrorAlert error={state.error} title="Could not evaluate the run" />
        {!evaluation ? (
          <Text size="sm" c="dimmed">
            {canEvaluate
              ? 'Not evaluated yet: press Evaluate to judge its samples against the data it trained on.'
              : 'The run is judged when it completes.'}
          </Text>
        ) : (
          <>
            <Alert variant="light" color="indigo" data-testid="evaluation-verdict">
              {verdict(evaluation, audit?.summary ?? null)}{' '}
              <Anchor
                href={`#/datasets/${run.datasetId}`}
                size="sm"
                data-testid="verdict-audit-link"
              >
                {audit
                  ? `Audit of version ${run.versionId}: score ${audit.summary.score ?? '—'}, ${audit.findings.length} findings →`
                  : `Audit version ${run.versionId} →`}
              </Anchor>
            </Alert>
            <SimpleGrid cols={2} spacing="md" verticalSpacing="sm">
              {sections.map((s) => (
                <Section key={s.title} section={s} metrics={evaluation.metrics} />
              ))}
            </SimpleGrid>
            <Cost evaluation={evaluation} />
            {evaluation.imageSamples.length > 0 && (
              <div>
                <Text size="sm" fw={600} mb={4}>
                  Samples above their nearest training items
                </Text>
                <Group gap="xs">
                  {evaluation.imageSamples.map((s) => (
                    <NearestTrainingItem key={s.sampleId} sample={s} />
                  ))}
                </Group>
              </div>
            )}
            {evaluation.textSamples.length > 0 && (
              <Stack gap={6}>
                <Text size="sm" fw={600}>
                  Samples, longest stretch copied from the training text marked
                </Text>
                {evaluation.textSamples.slice(0, 4).map((s, i) => (
                  <CopiedStretch key={i} {...s} />
                ))}
              </Stack>
            )}
          </>
        )}
        {/* Outside the evaluation: the in-run figures chart while the run trains. */}
        <EvaluationCharts metrics={metrics} />
      </Stack>
    </Card>
  );
}
