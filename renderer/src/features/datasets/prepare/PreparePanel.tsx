import {
  Button,
  Card,
  ColorInput,
  Grid,
  Group,
  NumberInput,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type {
  DatasetKind,
  ImagePreprocessing,
  Preprocessing,
  VersionDetail,
} from '../../../../../preload/contract';
import { ErrorAlert } from '../../../common/ErrorAlert';
import type { VersionActions } from '../versions/useVersions';
import { PreviewStrip } from './PreviewStrip';
import { usePreprocessPreview } from './usePreview';
import { VocabularyPreview } from './VocabularyPreview';

function clampInt(value: string | number, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
}

function ImageSettings({
  image,
  onChange,
}: {
  image: ImagePreprocessing;
  onChange: (next: ImagePreprocessing) => void;
}) {
  return (
    <Stack gap="sm">
      <NumberInput
        label="Size"
        description="Training images are size × size pixels."
        data-testid="prep-size"
        min={4}
        max={256}
        value={image.size}
        onChange={(v) => onChange({ ...image, size: clampInt(v, 4, 256, image.size) })}
        suffix=" px"
      />
      <div>
        <Text size="sm" fw={500}>
          Channels
        </Text>
        <SegmentedControl
          size="xs"
          data-testid="prep-channels"
          value={String(image.channels)}
          onChange={(v) =>
            onChange({ ...image, channels: v === 'auto' ? 'auto' : (Number(v) as 1 | 3) })
          }
          data={[
            { value: 'auto', label: 'Auto' },
            { value: '1', label: 'Grey' },
            { value: '3', label: 'RGB' },
          ]}
        />
      </div>
      <div>
        <Text size="sm" fw={500}>
          Fit
        </Text>
        <SegmentedControl
          size="xs"
          data-testid="prep-fit"
          value={image.fit}
          onChange={(v) => onChange({ ...image, fit: v as ImagePreprocessing['fit'] })}
          data={[
            { value: 'crop', label: 'Crop' },
            { value: 'pad', label: 'Pad' },
            { value: 'stretch', label: 'Stretch' },
          ]}
        />
      </div>
      <ColorInput
        label="Background"
        description="What transparency and padding become."
        data-testid="prep-background"
        format="hex"
        value={image.background}
        onChange={(v) => {
          if (/^#[0-9a-f]{6}$/i.test(v)) onChange({ ...image, background: v.toLowerCase() });
        }}
      />
    </Stack>
  );
}

/** Settings of the newest version, edited as a draft and saved as the next version. */
export function PreparePanel({
  datasetId,
  kind,
  version,
  actions,
}: {
  datasetId: number;
  kind: DatasetKind;
  version: VersionDetail;
  actions: VersionActions;
}) {
  // A draft belongs to the version it was started from; a newer version starts a fresh one.
  const [draft, setDraft] = useState<{ versionId: number; settings: Preprocessing } | null>(null);
  const settings = draft?.versionId === version.id ? draft.settings : version.preprocessing;
  const dirty = JSON.stringify(settings) !== JSON.stringify(version.preprocessing);
  const update = (next: Preprocessing) => setDraft({ versionId: version.id, settings: next });
  const preview = usePreprocessPreview(datasetId, kind === 'image' ? settings : null);
  const { augmentation, split } = settings;

  return (
    <Grid gap="lg" data-testid="prepare-panel">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card withBorder>
          <Stack gap="md">
            {kind === 'image' ? (
              <>
                <Title order={5}>Training images</Title>
                <ImageSettings
                  image={settings.image}
                  onChange={(image) => update({ ...settings, image })}
                />
                <Title order={5}>Augmentation (training batches only)</Title>
                <Switch
                  label="Flip left–right at random"
                  data-testid="prep-flip"
                  checked={augmentation.flipHorizontal}
                  onChange={(e) =>
                    update({
                      ...settings,
                      augmentation: { ...augmentation, flipHorizontal: e.currentTarget.checked },
                    })
                  }
                />
                <Switch
                  label="Class-balanced batches"
                  description="Draw every class equally often; small classes repeat (oversampling)."
                  data-testid="prep-class-balanced"
                  checked={settings.sampling.classBalanced}
                  onChange={(e) =>
                    update({ ...settings, sampling: { classBalanced: e.currentTarget.checked } })
                  }
                />
                <NumberInput
                  label="Shift up to"
                  description="Pixels either way, on each axis; 0 = no shifts."
                  data-testid="prep-shift"
                  min={0}
                  max={16}
                  suffix=" px"
                  value={augmentation.maxShift}
                  onChange={(v) =>
                    update({
                      ...settings,
                      augmentation: {
                        ...augmentation,
                        maxShift: clampInt(v, 0, 16, augmentation.maxShift),
                      },
                    })
                  }
                />
              </>
            ) : (
              <>
                <Title order={5}>Text</Title>
                <Switch
                  label="Fold case (train on lower case only)"
                  description="A smaller vocabulary; the model can no longer write capitals."
                  data-testid="prep-casefold"
                  checked={settings.text.caseFold}
                  onChange={(e) =>
                    update({ ...settings, text: { caseFold: e.currentTarget.checked } })
                  }
                />
              </>
            )}
            <Title order={5}>Train / validation split</Title>
            <Group grow>
              <NumberInput
                label="Validation"
                description="Of each class"
                data-testid="prep-validation"
                min={0}
                max={50}
                suffix=" %"
                value={Math.round(split.validationFraction * 100)}
                onChange={(v) =>
                  update({
                    ...settings,
                    split: {
                      ...split,
                      validationFraction:
                        clampInt(v, 0, 50, Math.round(split.validationFraction * 100)) / 100,
                    },
                  })
                }
              />
              <NumberInput
                label="Seed"
                description="Same seed, same split"
                data-testid="prep-seed"
                min={0}
                max={2 ** 31 - 1}
                value={split.seed}
                onChange={(v) =>
                  update({
                    ...settings,
                    split: { ...split, seed: clampInt(v, 0, 2 ** 31 - 1, split.seed) },
                  })
                }
              />
            </Group>
            <ErrorAlert error={actions.error} title="Not saved" onClose={actions.dismiss} />
            <Group justify="space-between">
              <Text size="xs" c={dirty ? 'orange.8' : 'dimmed'} data-testid="prep-state">
                {dirty ? 'Unsaved changes' : `These are the settings of v${version.number}.`}
              </Text>
              <Group gap="xs">
                <Button
                  variant="default"
                  size="xs"
                  disabled={!dirty}
                  onClick={() => setDraft(null)}
                  data-testid="prep-reset"
                >
                  Discard
                </Button>
                <Button
                  size="xs"
                  disabled={!dirty || actions.pending !== null}
                  loading={actions.pending === 'preprocessing'}
                  data-testid="prep-save"
                  onClick={() => void actions.setPreprocessing(settings)}
                >
                  Save as v{version.number + 1}
                </Button>
              </Group>
            </Group>
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Card withBorder>
          <Title order={5} mb="xs">
            {kind === 'image' ? 'Preview' : 'Vocabulary'}
          </Title>
          {kind === 'image' ? (
            <PreviewStrip preview={preview} />
          ) : (
            <VocabularyPreview versionId={version.id} caseFold={settings.text.caseFold} />
          )}
        </Card>
      </Grid.Col>
    </Grid>
  );
}
