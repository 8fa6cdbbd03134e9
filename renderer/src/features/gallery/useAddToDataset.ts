import { useCallback, useState } from 'react';
import type { AddToDatasetResult, AugmentPlan, StudioError } from '../../../../preload/contract';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

/** "Add to dataset": what it would do (the plan the dialog shows), then doing it. */
export function useAddToDataset() {
  const api = useStudio();
  const [plan, setPlan] = useState<AugmentPlan | null>(null);
  const [sampleIds, setSampleIds] = useState<number[]>([]);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<AddToDatasetResult | null>(null);
  const [error, setError] = useState<StudioError | null>(null);

  const open = useCallback(
    async (ids: number[]) => {
      setPending(true);
      setError(null);
      setResult(null);
      const outcome = await settle(api.samples.augmentPlan({ sampleIds: ids }));
      setPending(false);
      if (outcome.ok) {
        setSampleIds(ids);
        setPlan(outcome.value);
      } else setError(outcome.error);
    },
    [api],
  );

  /** `classes`: sample id → class, for the samples whose class a person chose. */
  const add = useCallback(
    async (classes: Record<string, string>) => {
      if (!plan) return;
      setPending(true);
      setError(null);
      const outcome = await settle(
        api.samples.addToDataset({ sampleIds, classes, baseVersionId: plan.baseVersionId }),
      );
      setPending(false);
      if (outcome.ok) {
        setResult(outcome.value);
        setPlan(null);
      } else setError(outcome.error);
    },
    [api, plan, sampleIds],
  );

  return {
    plan,
    pending,
    result,
    error,
    open,
    add,
    cancel: () => {
      setPlan(null);
      setError(null);
    },
    dismiss: () => {
      setResult(null);
      setError(null);
    },
  };
}
