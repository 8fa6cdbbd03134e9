import { Button, Group, NativeSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { RunSummary } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import { useGenerate } from './useRuns';

/**
 * Draw more from a finished (or stopped) run's checkpoint: text continuing a prompt, with the
 * sampling knobs; an image grid, or for a VAE the frames between two latent points.
 */
export function GeneratePanel({ run }: { run: RunSummary }) {
  const generator = useGenerate();
  const isText = run.family === 'char-rnn' || run.family === 'char-gpt';
  const isVae = run.family === 'dense-vae' || run.family === 'conv-vae';
  const [prompt, setPrompt] = useState('');
  const [temperature, setTemperature] = useState<string | number>(0.8);
  const [topK, setTopK] = useState<string | number>(0);
  const [topP, setTopP] = useState<string | number>(0.95);
  const [mode, setMode] = useState<'grid' | 'interpolation'>('grid');
  if (run.checkpointStep === null) return null;
  const num = (v: string | number): number | undefined => (typeof v === 'number' ? v : undefined);

  return (
    <Stack gap={6} data-testid="generate-panel">
      <Text fw={600} size="sm">
        Generate from step {run.checkpointStep}
      </Text>
      <Group align="flex-end" gap="xs">
        {isText ? (
          <>
            <TextInput
              size="xs"
              label="Prompt"
              placeholder="(empty: start a new line)"
              data-testid="generate-prompt"
              value={prompt}
              onChange={(e) => setPrompt(e.currentTarget.value)}
            />
            <NumberInput
              size="xs"
              w={90}
              label="Temperature"
              min={0}
              max={5}
              step={0.1}
              decimalScale={2}
              value={temperature}
              onChange={setTemperature}
            />
            <NumberInput
              size="xs"
              w={70}
              label="Top-k"
              min={0}
              step={1}
              allowDecimal={false}
              value={topK}
              onChange={setTopK}
            />
            <NumberInput
              size="xs"
              w={70}
              label="Top-p"
              min={0.01}
              max={1}
              step={0.05}
              decimalScale={2}
              value={topP}
              onChange={setTopP}
            />
          </>
        ) : (
          <NativeSelect
            size="xs"
            label="What"
            data-testid="generate-mode"
            value={mode}
            onChange={(e) => setMode(e.currentTarget.value as 'grid' | 'interpolation')}
            data={[
              { value: 'grid', label: 'A grid of new samples' },
              ...(isVae ? [{ value: 'interpolation', label: 'An interpolation' }] : []),
            ]}
          />
        )}
        <Button
          size="xs"
          data-testid="generate-button"
          loading={generator.pending}
          onClick={() =>
            void generator.generate(
              isText
                ? {
                    runId: run.id,
                    prompt,
                    temperature: num(temperature),
                    topK: num(topK),
                    topP: num(topP),
                    seed: Date.now() % 100000,
                  }
                : { runId: run.id, mode, seed: Date.now() % 100000 },
            )
          }
        >
          Generate
        </Button>
      </Group>
      <ErrorAlert error={generator.error} title="Could not generate" />
    </Stack>
  );
}
