import type {
  AppCalls,
  AppInfo,
  BackendName,
  BackendReport,
  StudioSettings,
} from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import { StudioFailure } from '../common/failure';
import { probeDevices } from '../ml/deviceInfo';
import type { SettingsStore } from './settingsStore';

export interface AppHandlerDeps {
  /** Version, data dir, shell and the backend last reported. */
  info(): AppInfo;
  /** Asks the ML worker which backend it runs on. */
  backend(): Promise<BackendReport>;
  settings: SettingsStore;
  /** True while a run is queued or training: the ML worker must not restart under it. */
  isTraining(): boolean;
  /** Restarts the ML worker preferring this backend (null: the best one that loads). */
  switchBackend(preferred: BackendName | null): Promise<void>;
}

/** The studio's own calls: what it is, what it runs on, and its settings. */
export function appHandlers(deps: AppHandlerDeps): Pick<CallHandlers, keyof AppCalls> {
  return {
    'app:info': () => deps.info(),
    'ml:backend': () => deps.backend(),
    'ml:devices': () => probeDevices(),
    'settings:get': () => deps.settings.get(),
    'settings:set': (patch) => updateSettings(deps, patch),
  };
}

async function updateSettings(
  deps: AppHandlerDeps,
  patch: Partial<StudioSettings>,
): Promise<StudioSettings> {
  const before = deps.settings.get();
  if (patch.preferredBackend !== undefined && patch.preferredBackend !== before.preferredBackend) {
    if (deps.isTraining()) {
      throw new StudioFailure(
        'conflict',
        'A run is training; stop it (or wait for it) before switching the ML backend.',
      );
    }
    const saved = await deps.settings.update({ preferredBackend: patch.preferredBackend });
    await deps.switchBackend(saved.preferredBackend);
    return saved;
  }
  return deps.settings.get();
}
