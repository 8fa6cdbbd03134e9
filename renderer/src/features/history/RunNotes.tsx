import { Button, Group, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { CallArgs, RunSummary } from '../../../../preload/contract';

/** Name, tags and notes of a run, edited in place and saved together. */
export function RunNotes({
  run,
  saving,
  onSave,
}: {
  run: RunSummary;
  saving: boolean;
  onSave: (change: CallArgs<'runs:annotate'>) => void;
}) {
  const [name, setName] = useState(run.name ?? '');
  const [tags, setTags] = useState(run.tags);
  const [notes, setNotes] = useState(run.notes);
  const changed =
    name !== (run.name ?? '') || notes !== run.notes || tags.join('\n') !== run.tags.join('\n');
  return (
    <Stack gap="xs" data-testid="run-notes">
      <Group grow align="flex-start">
        <TextInput
          label="Name"
          placeholder={`Run #${run.id}`}
          data-testid="run-name-input"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <TagsInput
          label="Tags"
          placeholder="Enter to add"
          data-testid="run-tags-input"
          value={tags}
          onChange={setTags}
        />
      </Group>
      <Textarea
        label="Notes"
        autosize
        minRows={2}
        data-testid="run-notes-input"
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
      />
      <Group justify="flex-end">
        <Button
          size="xs"
          variant="light"
          data-testid="run-notes-save"
          disabled={!changed}
          loading={saving}
          onClick={() => onSave({ runId: run.id, name: name.trim() || null, tags, notes })}
        >
          Save name, tags and notes
        </Button>
      </Group>
    </Stack>
  );
}
