import type { GalleryCalls } from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import { exportVersion, type VersionExportDeps } from '../export/exportVersion';
import type { SyntheticService } from '../datasets/versions/syntheticService';
import type { SampleGroupQuery } from './sampleGroups';
import type { SampleGallery } from './sampleQuery';

/**
 * The gallery's calls: samples across runs, paged and filtered, their stars and rejections, and a
 * dataset version exported for other trainers, and samples added to a dataset as synthetic items.
 */
export function galleryHandlers(
  gallery: SampleGallery,
  groups: SampleGroupQuery,
  versionExport: VersionExportDeps,
  synthetic: SyntheticService,
): Pick<CallHandlers, keyof GalleryCalls> {
  return {
    'datasets:exportVersion': ({ datasetId, versionNumber, folder }) =>
      exportVersion(versionExport, datasetId, versionNumber, folder),
    'samples:query': (query) => gallery.query(query),
    'samples:groups': (filters) => groups.groups(filters),
    'samples:rate': ({ sampleIds, rating }) => ({ changed: gallery.rate(sampleIds, rating) }),
    'samples:augmentPlan': ({ sampleIds }) => synthetic.plan(sampleIds),
    'samples:addToDataset': (args) => synthetic.addToDataset(args),
  };
}
