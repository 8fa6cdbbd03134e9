import type { ModelExportCalls } from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import { exportModel, type ModelExportDeps } from './modelExportService';

/** A run's checkpoint as a TensorFlow.js model folder and ZIP. */
export function modelExportHandlers(
  deps: ModelExportDeps,
): Pick<CallHandlers, keyof ModelExportCalls> {
  return { 'runs:exportModel': (args) => exportModel(deps, args) };
}
