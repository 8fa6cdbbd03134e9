import { describe, expect, it } from 'vitest';
import { CALL_NAMES } from '../../preload/contract';
import { CALL_SCHEMAS } from './callSchemas';
import { dispatchCall, type CallHandlers } from './dispatch';
import { StudioFailure } from '../common/failure';

// Only the handlers these tests call are real; the dispatcher never touches the others.
const handlers = {
  'datasets:get': ({ datasetId }: { datasetId: number }) => {
    if (datasetId === 404) throw new StudioFailure('not-found', 'Dataset 404 does not exist.');
    if (datasetId === 500) throw new Error('disk on fire');
    return { id: datasetId };
  },
} as unknown as CallHandlers;

describe('dispatchCall', () => {
  it('has a schema for every call in the contract', () => {
    expect(Object.keys(CALL_SCHEMAS).sort()).toEqual([...CALL_NAMES].sort());
  });

  it('passes validated arguments to the handler', async () => {
    expect(await dispatchCall(handlers, 'datasets:get', { datasetId: 3 })).toEqual({
      ok: true,
      value: { id: 3 },
    });
  });

  it('rejects unknown calls, wrong types and unknown keys as data', async () => {
    const unknown = await dispatchCall(handlers, 'datasets:explode', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const wrongType = await dispatchCall(handlers, 'datasets:get', { datasetId: 'three' });
    expect(wrongType).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: /datasetId/ },
    });
    const extraKey = await dispatchCall(handlers, 'datasets:get', { datasetId: 3, sneaky: true });
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('turns thrown failures into { code, message } and hides nothing else', async () => {
    expect(await dispatchCall(handlers, 'datasets:get', { datasetId: 404 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'Dataset 404 does not exist.' },
    });
    expect(await dispatchCall(handlers, 'datasets:get', { datasetId: 500 })).toMatchObject({
      ok: false,
      error: { code: 'internal', message: /disk on fire/ },
    });
  });
});
