// The one contract between the renderer and the studio's core, merged from one file per domain.
//
// Every call is `domain:verb`, takes one argument object and resolves to an Outcome (errors are
// data, never thrown across the boundary). Every pushed event is `domain:event` with one payload.
// The Electron IPC handlers, the preload bridge, the HTTP/WebSocket server and its browser client
// are all typed against this folder. It has no runtime imports on purpose: the renderer, preload
// and main all include it.
import type { AppCalls } from './app';
import type { AuditCalls, AuditEvents } from './audit';
import type { DatasetCalls, DatasetEvents } from './datasets';
import type { EvaluationCalls } from './evaluation';
import type { GalleryCalls } from './gallery';
import type { ModelExportCalls } from './modelExport';
import type { Outcome } from './outcome';
import type { RunCalls, RunEvents } from './runs';
import type { StudioShell } from './shell';
import type { VersionCalls } from './versions';

export type * from './app';
export type * from './audit';
export type * from './datasets';
export type * from './evaluation';
export type * from './gallery';
export type * from './modelExport';
export type * from './outcome';
export type * from './runs';
export type * from './shell';
export type * from './versions';

// ---------- calls ----------

export interface StudioCalls
  extends
    AppCalls,
    DatasetCalls,
    VersionCalls,
    RunCalls,
    AuditCalls,
    EvaluationCalls,
    GalleryCalls,
    ModelExportCalls {}

export type CallName = keyof StudioCalls;
export type CallArgs<K extends CallName> = Parameters<StudioCalls[K]>[0];
export type CallResult<K extends CallName> = ReturnType<StudioCalls[K]>;

/** The runtime list of calls, so bridges can be built without a generic invoke. */
export const CALL_NAMES = [
  'app:info',
  'datasets:list',
  'datasets:get',
  'datasets:browse',
  'datasets:itemText',
  'datasets:versions',
  'datasets:getVersion',
  'datasets:editItems',
  'datasets:setPreprocessing',
  'datasets:undo',
  'datasets:restoreVersion',
  'datasets:compareVersions',
  'datasets:previewPreprocessing',
  'datasets:textStats',
  'datasets:importFolder',
  'datasets:cancelImport',
  'datasets:beginUpload',
  'datasets:finishUpload',
  'models:presets',
  'runs:start',
  'runs:stop',
  'runs:resume',
  'runs:estimate',
  'runs:list',
  'runs:get',
  'runs:annotate',
  'runs:archive',
  'runs:deletePreview',
  'runs:delete',
  'runs:compare',
  'runs:compareVersions',
  'runs:evaluate',
  'runs:evaluation',
  'runs:alarms',
  'runs:rollback',
  'samples:list',
  'samples:generate',
  'samples:export',
  'runs:exportReport',
  'runs:exportModel',
  'samples:query',
  'samples:groups',
  'samples:rate',
  'samples:augmentPlan',
  'samples:addToDataset',
  'datasets:exportVersion',
  'ml:backend',
  'ml:devices',
  'settings:get',
  'settings:set',
  'audit:start',
  'audit:cancel',
  'audit:get',
  'audit:latest',
  'audit:history',
  'audit:export',
  'audit:applyFix',
  'audit:applyAll',
] as const satisfies readonly CallName[];

// Compile-time check that CALL_NAMES lists every call.
type MissingCalls = Exclude<CallName, (typeof CALL_NAMES)[number]>;
export const ALL_CALLS_LISTED: MissingCalls extends never ? true : MissingCalls = true;

// ---------- events ----------

export interface StudioEvents extends DatasetEvents, RunEvents, AuditEvents {}

export type EventName = keyof StudioEvents;

export const EVENT_NAMES = [
  'datasets:importProgress',
  'datasets:changed',
  'runs:progress',
  'runs:status',
  'runs:alarm',
  'samples:added',
  'audit:progress',
] as const satisfies readonly EventName[];

type MissingEvents = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
export const ALL_EVENTS_LISTED: MissingEvents extends never ? true : MissingEvents = true;

// ---------- the object the renderer sees ----------

type DomainOf<K> = K extends `${infer D}:${string}` ? D : never;
type VerbOf<K, D extends string> = K extends `${D}:${infer V}` ? V : never;
export type Domain = DomainOf<CallName>;

type CallFunction<K> = K extends CallName
  ? (args: CallArgs<K>) => Promise<Outcome<CallResult<K>>>
  : never;

/** `studio.datasets.get({ datasetId })` for the call `datasets:get`. */
export type StudioCallApi = {
  [D in Domain]: {
    [V in VerbOf<CallName, D>]: CallFunction<`${D}:${V}`>;
  };
};

export interface StudioApi extends StudioCallApi {
  on<E extends EventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void;
  shell: StudioShell;
}

/** Splits `domain:verb` for building the nested call object. */
export function splitCallName(name: CallName): [Domain, string] {
  const at = name.indexOf(':');
  return [name.slice(0, at) as Domain, name.slice(at + 1)];
}

export const ELECTRON_CALL_CHANNEL_PREFIX = 'studio:call:';
export const ELECTRON_EVENT_CHANNEL = 'studio:event';
