import {
  Alert,
  Badge,
  Button,
  Group,
  Image,
  Modal,
  Select,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useState } from 'react';
import type { AugmentPlan, AugmentPlanSample } from '../../../../preload/contract';
import { useStudio } from '../../api/StudioContext';
import { ErrorAlert } from '../../common/ErrorAlert';
import type { useAddToDataset } from './useAddToDataset';

/**
 * "Generate to augment": the chosen samples, or with none chosen the starred ones under the
 * current filters, become synthetic items of a new version of their run's dataset. The dialog
 * says which dataset, which version it will make, and the class each sample gets.
 */
export function AddToDatasetPanel({
  selectedIds,
  starredCount,
  starredIds,
  adder,
  onOpenDataset,
}: {
  selectedIds: number[];
  starredCount: number;
  starredIds: () => Promise<number[]>;
  adder: ReturnType<typeof useAddToDataset>;
  onOpenDataset: (datasetId: number) => void;
}) {
  const { result, error, pending, plan } = adder;
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed">
          Top up a starved class: add samples to a new dataset version, marked synthetic.
        </Text>
        <Button
          variant="light"
          data-testid="add-to-dataset-button"
          disabled={selectedIds.length === 0 && starredCount === 0}
          loading={pending && !plan}
          onClick={() =>
            void (selectedIds.length > 0 ? Promise.resolve(selectedIds) : starredIds()).then(
              (ids) => adder.open(ids),
            )
          }
        >
          {selectedIds.length > 0
            ? `Add ${selectedIds.length} selected to dataset`
            : `Add ${starredCount} starred to dataset`}
        </Button>
      </Group>
      {!plan && <ErrorAlert error={error} title="Could not add" onClose={adder.dismiss} />}
      {result && (
        <Alert
          data-testid="add-to-dataset-result"
          color="teal"
          variant="light"
          title={`Version v${result.version.number} made`}
          withCloseButton
          onClose={adder.dismiss}
        >
          <Group gap="xs">
            <Text size="sm">
              v{result.version.number} holds {result.version.itemCount} items,{' '}
              <span data-testid="add-to-dataset-synthetic">{result.version.syntheticCount}</span>{' '}
              synthetic (
              {result.perClass.map((c) => `${c.label ?? 'unlabeled'}: ${c.count}`).join(', ')}).
            </Text>
            <Button
              size="xs"
              variant="subtle"
              data-testid="add-to-dataset-open"
              onClick={() => onOpenDataset(result.version.datasetId)}
            >
              Open the dataset
            </Button>
          </Group>
        </Alert>
      )}
      {plan && <AddToDatasetDialog plan={plan} adder={adder} />}
    </Stack>
  );
}

function AddToDatasetDialog({
  plan,
  adder,
}: {
  plan: AugmentPlan;
  adder: ReturnType<typeof useAddToDataset>;
}) {
  const { shell } = useStudio();
  const options = plan.classes.map((c) => ({ value: c.label, label: `${c.label} (${c.count})` }));
  // The classifier's suggestion where it is good enough; else the smallest class, which is what
  // "topping up" usually means. Either is preselected, not decided.
  const [forAll, setForAll] = useState<string | null>(
    plan.suggestedClass ?? plan.classes[0]?.label ?? null,
  );
  const [perSample, setPerSample] = useState<Record<string, string>>(() => {
    const preselected: Record<string, string> = {};
    for (const s of plan.samples)
      if (s.needsClass && s.suggestion?.preselect)
        preselected[String(s.sampleId)] = s.suggestion.label;
    return preselected;
  });
  const classOf = (sampleId: number) => perSample[String(sampleId)] ?? forAll;
  const unconditional = plan.samples.filter((s) => s.needsClass);
  const missing = unconditional.some((s) => !classOf(s.sampleId));
  const confirm = () => {
    const classes: Record<string, string> = {};
    for (const s of unconditional) {
      const label = classOf(s.sampleId);
      if (label) classes[String(s.sampleId)] = label;
    }
    void adder.add(classes);
  };

  return (
    <Modal
      opened
      onClose={adder.cancel}
      title="Add to dataset"
      size="lg"
      data-testid="add-to-dataset-dialog"
    >
      <Stack gap="sm">
        <Text size="sm">
          Into <b data-testid="add-to-dataset-target">{plan.datasetName}</b>: a new version{' '}
          <Badge variant="light" data-testid="add-to-dataset-next-version">
            v{plan.nextVersionNumber}
          </Badge>{' '}
          with every item of v{plan.baseVersionNumber} and {plan.samples.length} synthetic item
          {plan.samples.length === 1 ? '' : 's'} (they train, validation stays real data). v
          {plan.baseVersionNumber} is kept as it is.
        </Text>
        {unconditional.length > 0 && (
          <Select
            label="Class for the samples of an unconditional model"
            description={
              plan.suggestedClass === null
                ? 'Their model was not asked for a class: choose the one they show. The smallest class is preselected.'
                : `Their model was not asked for a class. Preselected: ${plan.suggestedClass}, the feature classifier's suggestion (each sample's own is below); check it.`
            }
            data={options}
            value={forAll}
            onChange={(label) => {
              // A class for all replaces the ones chosen one by one.
              setForAll(label);
              setPerSample({});
            }}
            allowDeselect={false}
            data-testid="add-to-dataset-class-all"
          />
        )}
        <Table striped withTableBorder data-testid="add-to-dataset-samples">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Sample</Table.Th>
              <Table.Th>Step</Table.Th>
              <Table.Th>Class</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.samples.map((s) => (
              <Table.Tr key={s.sampleId} data-testid="add-to-dataset-sample">
                <Table.Td>
                  {s.kind === 'image' && (
                    <Image
                      src={shell.mediaUrl('sample', s.sampleId)}
                      alt={`Sample ${s.sampleId}`}
                      w={32}
                      h={32}
                      display="inline-block"
                      mr={8}
                      style={{ imageRendering: 'pixelated', verticalAlign: 'middle' }}
                    />
                  )}
                  #{s.sampleId}
                  {s.alreadyAdded && (
                    <Badge ml={6} size="xs" variant="outline">
                      added before
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{s.step}</Table.Td>
                <Table.Td>
                  {s.askedClass !== null ? (
                    <Text size="sm">
                      {s.askedClass}{' '}
                      <Text span size="xs" c="dimmed">
                        (asked for)
                      </Text>
                    </Text>
                  ) : s.needsClass ? (
                    <Stack gap={2}>
                      <Select
                        size="xs"
                        aria-label={`Class of sample ${s.sampleId}`}
                        data={options}
                        value={classOf(s.sampleId)}
                        onChange={(label) =>
                          label &&
                          setPerSample((prev) => ({ ...prev, [String(s.sampleId)]: label }))
                        }
                        allowDeselect={false}
                      />
                      <SuggestionNote sample={s} />
                    </Stack>
                  ) : (
                    <Text size="sm" c="dimmed">
                      unlabeled dataset
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <ErrorAlert error={adder.error} title="Could not add" />
        <Group justify="flex-end">
          <Button variant="default" onClick={adder.cancel}>
            Cancel
          </Button>
          <Button
            data-testid="add-to-dataset-confirm"
            disabled={missing}
            loading={adder.pending}
            onClick={confirm}
          >
            Make v{plan.nextVersionNumber}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** What the feature classifier suggests for an unconditional sample, and how far to trust it. */
function SuggestionNote({ sample }: { sample: AugmentPlanSample }) {
  const { suggestion } = sample;
  if (!suggestion)
    return (
      <Text size="xs" c="dimmed" data-testid="add-to-dataset-suggestion" data-suggested="">
        {sample.evaluated
          ? 'the classifier gave no class when the run was evaluated'
          : 'evaluate the run to get a suggestion'}
      </Text>
    );
  const sure = suggestion.confidence === null ? '' : ` (${suggestion.confidence.toFixed(2)})`;
  return (
    <Text
      size="xs"
      c={suggestion.preselect ? 'teal.8' : 'dimmed'}
      data-testid="add-to-dataset-suggestion"
      data-suggested={suggestion.label}
      data-preselected={String(suggestion.preselect)}
      title={suggestion.why}
    >
      classifier&apos;s suggestion: {suggestion.label}
      {sure}
      {suggestion.preselect ? ', preselected' : ` — ${suggestion.why}; you decide`}
    </Text>
  );
}
