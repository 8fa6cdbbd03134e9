import { Group, Loader, Stack, Text } from '@mantine/core';
import type { PreprocessPreview } from '../../../../../preload/contract';
import { ErrorAlert } from '../../../common/ErrorAlert';
import type { OutcomeState } from '../../../api/hooks';

const SHOWN = 72;

function Picture({ src, label, testId }: { src: string; label: string; testId: string }) {
  return (
    <Stack gap={2} align="center">
      <img
        src={src}
        alt={label}
        data-testid={testId}
        style={{
          width: SHOWN,
          height: SHOWN,
          objectFit: 'contain',
          imageRendering: 'pixelated',
          background: 'repeating-conic-gradient(#e9ecef 0% 25%, #fff 0% 50%) 50% / 12px 12px',
          borderRadius: 4,
        }}
      />
      <Text size="10px" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

/** Each example as imported, as training sees it, and as augmented batches may see it. */
export function PreviewStrip({ preview }: { preview: OutcomeState<PreprocessPreview[]> }) {
  if (preview.error)
    return <ErrorAlert error={preview.error} title="No preview" onRetry={preview.reload} />;
  if (!preview.value) return <Loader size="sm" />;
  return (
    <Stack gap="sm" data-testid="preview-strip" style={{ opacity: preview.loading ? 0.6 : 1 }}>
      {preview.value.map((p) => (
        <Group key={p.itemId} gap="xs" wrap="nowrap" data-testid="preview-item">
          <Picture
            src={p.original}
            label={`imported · ${p.label ?? '∅'}`}
            testId="preview-original"
          />
          <Text c="dimmed">→</Text>
          <Picture src={p.prepared} label="prepared" testId="preview-prepared" />
          {p.augmented.map((src, i) => (
            <Picture key={i} src={src} label={`augmented ${i + 1}`} testId="preview-augmented" />
          ))}
        </Group>
      ))}
    </Stack>
  );
}
