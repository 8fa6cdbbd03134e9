import { useCallback, useState } from 'react';
import type { GallerySample, SampleRating, StudioError } from '../../../../preload/contract';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

/**
 * Stars and rejections made on this page, shown at once over the fetched pages (which still hold
 * the marks they were read with) and stored with `samples:rate`.
 */
export function useSampleRatings() {
  const api = useStudio();
  const [marks, setMarks] = useState<Map<number, SampleRating | null>>(new Map());
  const [error, setError] = useState<StudioError | null>(null);
  const [changes, setChanges] = useState(0);

  const withMark = useCallback(
    (sample: GallerySample): GallerySample =>
      marks.has(sample.id) ? { ...sample, rating: marks.get(sample.id) ?? null } : sample,
    [marks],
  );

  /** Marks the sample with `rating`, or clears the mark when it already has that one. */
  const toggle = useCallback(
    async (sample: GallerySample, rating: SampleRating) => {
      const current = marks.has(sample.id) ? (marks.get(sample.id) ?? null) : sample.rating;
      const next = current === rating ? null : rating;
      setMarks((prev) => new Map(prev).set(sample.id, next));
      const outcome = await settle(api.samples.rate({ sampleIds: [sample.id], rating: next }));
      if (outcome.ok) {
        setError(null);
        setChanges((n) => n + 1);
      } else {
        setError(outcome.error);
        setMarks((prev) => new Map(prev).set(sample.id, current));
      }
    },
    [api, marks],
  );

  return { withMark, toggle, error, dismiss: () => setError(null), changes };
}
