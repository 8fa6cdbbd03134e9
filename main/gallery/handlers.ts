import type { GalleryCalls } from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import { exportVersion, type VersionExportDeps } from '../export/exportVersion';
import type { SampleGallery } from './sampleQuery';

/**
 * The gallery's calls: samples across runs, paged and filtered, their stars and rejections, and a
 * dataset version exported for other trainers.
 */
export function galleryHandlers(
  gallery: SampleGallery,
  versionExport: VersionExportDeps,
): Pick<CallHandlers, keyof GalleryCalls> {
  return {
    'datasets:exportVersion': ({ datasetId, versionNumber, folder }) =>
      exportVersion(versionExport, datasetId, versionNumber, folder),
    'samples:query': (query) => gallery.query(query),
    'samples:rate': ({ sampleIds, rating }) => ({ changed: gallery.rate(sampleIds, rating) }),
  };
}
