import type { GalleryCalls } from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import type { SampleGallery } from './sampleQuery';

/** The gallery's calls: samples across runs, paged and filtered, and their stars and rejections. */
export function galleryHandlers(gallery: SampleGallery): Pick<CallHandlers, keyof GalleryCalls> {
  return {
    'samples:query': (query) => gallery.query(query),
    'samples:rate': ({ sampleIds, rating }) => ({ changed: gallery.rate(sampleIds, rating) }),
  };
}
