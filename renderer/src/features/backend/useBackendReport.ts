import { useCallback, useState } from 'react';
import type { BackendName, StudioError } from '../../../../preload/contract';
import { useOutcome } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

/** The ML backend report; asking for it may wait while the ML worker starts. */
export function useBackendReport() {
  const api = useStudio();
  const load = useCallback(() => api.ml.backend({}), [api]);
  return useOutcome(load);
}

/** The CPU, its memory and any NVIDIA GPUs the driver reports. */
export function useDevices() {
  const api = useStudio();
  const load = useCallback(() => api.ml.devices({}), [api]);
  return useOutcome(load);
}

/** The saved backend preference, and saving a new one (which restarts the ML worker). */
export function useBackendPreference(onSaved: () => void) {
  const api = useStudio();
  const load = useCallback(() => api.settings.get({}), [api]);
  const settings = useOutcome(load);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<StudioError | null>(null);
  const save = useCallback(
    async (preferredBackend: BackendName | null) => {
      setSaving(true);
      setError(null);
      const outcome = await settle(api.settings.set({ preferredBackend }));
      setSaving(false);
      if (!outcome.ok) setError(outcome.error);
      settings.reload();
      onSaved();
    },
    [api, settings, onSaved],
  );
  return { preferred: settings.value?.preferredBackend ?? null, saving, error, save };
}
