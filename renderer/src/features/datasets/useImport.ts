import { useCallback, useRef, useState } from 'react';
import type {
  ImportReport,
  Outcome,
  StudioError,
  ImportSettings,
} from '../../../../preload/contract';
import { useStudioEvent } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';
import {
  baseName,
  captureDrop,
  filesFromDrop,
  filesFromPicker,
  pickedFolderPath,
  type FolderSelection,
} from './folderFiles';

export type ImportPhase = 'idle' | 'scanning' | 'uploading' | 'importing' | 'done' | 'failed';

export interface ImportState {
  phase: ImportPhase;
  /** Folder (dataset) name being imported. */
  name: string;
  done: number;
  total: number;
  currentPath: string;
  /** From the core while it imports; null while uploading or before the rate is known. */
  filesPerSecond: number | null;
  etaSeconds: number | null;
  report: ImportReport | null;
  error: StudioError | null;
}

const IDLE: ImportState = {
  phase: 'idle',
  name: '',
  done: 0,
  total: 0,
  currentPath: '',
  filesPerSecond: null,
  etaSeconds: null,
  report: null,
  error: null,
};

/** Uploads in flight at once: enough to hide latency, few enough not to swamp the server. */
const UPLOAD_CONCURRENCY = 4;

function failure(message: string, code: StudioError['code'] = 'invalid-input'): StudioError {
  return { code, message };
}

export function useImport(onImported: (report: ImportReport) => void) {
  const api = useStudio();
  const [state, setState] = useState<ImportState>(IDLE);
  // How the next folder is read (kind, text unit, CSV column, ...); empty = the core decides.
  const [settings, setSettings] = useState<ImportSettings>({});
  const busy =
    state.phase === 'scanning' || state.phase === 'uploading' || state.phase === 'importing';
  const cancelled = useRef(false);
  const phaseRef = useRef<ImportPhase>('idle');
  // Tags the core's progress events: a UUID we choose for a folder import, the upload id for an upload.
  const importIdRef = useRef<string | null>(null);

  const update = useCallback((patch: Partial<ImportState>) => {
    if (patch.phase) phaseRef.current = patch.phase;
    setState((s) => ({ ...s, ...patch }));
  }, []);

  // The core reports its own progress while it decodes and stores the files; another window's
  // import has another id.
  useStudioEvent('datasets:importProgress', (p) => {
    if (phaseRef.current !== 'importing' || p.importId !== importIdRef.current) return;
    update({
      done: p.done,
      total: p.total,
      currentPath: p.currentPath,
      filesPerSecond: p.phase === 'importing' && p.done > 0 ? p.filesPerSecond : null,
      etaSeconds: p.etaSeconds,
    });
  });

  const finish = useCallback(
    (outcome: Outcome<ImportReport>) => {
      if (outcome.ok) {
        update({ phase: 'done', report: outcome.value, error: null });
        onImported(outcome.value);
      } else if (outcome.error.code === 'cancelled') {
        // The person asked for it: the core rolled the import back, there is nothing to report.
        update({ ...IDLE });
      } else {
        update({ phase: 'failed', error: outcome.error });
      }
    },
    [onImported, update],
  );

  const importPath = useCallback(
    async (path: string) => {
      cancelled.current = false;
      const importId = crypto.randomUUID();
      importIdRef.current = importId;
      update({ ...IDLE, phase: 'importing', name: baseName(path) });
      finish(await settle(api.datasets.importFolder({ path, importId, ...settings })));
    },
    [api, finish, update, settings],
  );

  const uploadSelection = useCallback(
    async (selection: FolderSelection) => {
      const { files } = selection;
      if (files.length === 0) {
        update({ phase: 'failed', error: failure('That folder has no files in it.') });
        return;
      }
      update({ phase: 'uploading', name: selection.name, done: 0, total: files.length });
      const begun = await settle(api.datasets.beginUpload({ name: selection.name }));
      if (!begun.ok) {
        update({ phase: 'failed', error: begun.error });
        return;
      }
      const { uploadId } = begun.value;
      importIdRef.current = uploadId;

      let next = 0;
      let done = 0;
      // A holder rather than a `let`, so the workers' writes are visible to the checks below.
      const failed: { error: StudioError | null } = { error: null };
      const worker = async () => {
        while (!cancelled.current && !failed.error && next < files.length) {
          const item = files[next++];
          if (!item) break;
          const sent = await settle(
            api.shell.uploadFile({ uploadId, relativePath: item.relativePath, file: item.file }),
          );
          if (!sent.ok) {
            failed.error ??= {
              ...sent.error,
              message: `${item.relativePath}: ${sent.error.message}`,
            };
            break;
          }
          done += 1;
          update({ done, currentPath: item.relativePath });
        }
      };
      await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, worker));

      if (cancelled.current) {
        update({ ...IDLE });
        return;
      }
      if (failed.error) {
        update({ phase: 'failed', error: failed.error });
        return;
      }
      update({ phase: 'importing', done: 0, currentPath: '' });
      finish(await settle(api.datasets.finishUpload({ uploadId, ...settings })));
    },
    [api, finish, update, settings],
  );

  /** Must be called synchronously from the drop handler: the DataTransfer empties afterwards. */
  const importDrop = useCallback(
    (dataTransfer: DataTransfer) => {
      if (busy) return;
      const capture = captureDrop(dataTransfer);
      cancelled.current = false;
      if (api.shell.kind === 'electron') {
        const [entry] = capture.entries;
        const [file] = capture.files;
        if (entry && !entry.isDirectory) {
          update({ ...IDLE, phase: 'failed', error: failure('Drop a folder, not single files.') });
          return;
        }
        const path = file ? api.shell.pathForFile(file) : null;
        if (!path) {
          update({
            ...IDLE,
            phase: 'failed',
            error: failure('Could not tell where the dropped folder is. Try the folder picker.'),
          });
          return;
        }
        void importPath(path);
        return;
      }
      update({ ...IDLE, phase: 'scanning' });
      void filesFromDrop(capture).then(uploadSelection, (err: unknown) =>
        update({
          phase: 'failed',
          error: failure(`Could not read the dropped folder: ${String(err)}`, 'io'),
        }),
      );
    },
    [api, busy, importPath, update, uploadSelection],
  );

  const importPicked = useCallback(
    (fileList: FileList) => {
      if (busy) return;
      const files = Array.from(fileList);
      cancelled.current = false;
      const [first] = files;
      if (!first) {
        update({ ...IDLE, phase: 'failed', error: failure('That folder has no files in it.') });
        return;
      }
      if (api.shell.kind === 'electron') {
        const absolute = api.shell.pathForFile(first);
        const root = absolute ? pickedFolderPath(first, absolute) : null;
        if (!root) {
          update({
            ...IDLE,
            phase: 'failed',
            error: failure('Could not tell where the picked folder is. Try dropping it instead.'),
          });
          return;
        }
        void importPath(root);
        return;
      }
      update({ ...IDLE });
      void uploadSelection(filesFromPicker(files));
    },
    [api, busy, importPath, update, uploadSelection],
  );

  /**
   * While uploading: stops sending files (nothing was imported yet). While the core imports:
   * asks it to stop; it removes what it added and the import call ends as 'cancelled'.
   */
  const cancel = useCallback(() => {
    cancelled.current = true;
    const importId = importIdRef.current;
    if (phaseRef.current === 'importing' && importId) {
      void settle(api.datasets.cancelImport({ importId }));
    }
  }, [api]);

  const dismiss = useCallback(() => update({ ...IDLE }), [update]);

  return { state, busy, importDrop, importPicked, cancel, dismiss, settings, setSettings };
}
