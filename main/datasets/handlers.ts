import type { DatasetCalls, VersionCalls } from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import type { DatasetService } from './datasetService';
import type { PrepareService } from './prepare/prepareService';
import type { VersionService } from './versions/versionService';

export interface DatasetHandlerDeps {
  datasets: DatasetService;
  versions: VersionService;
  prepare: PrepareService;
}

/** The dataset calls: imports and uploads, browsing, curation and preparation of versions. */
export function datasetHandlers({
  datasets,
  versions,
  prepare,
}: DatasetHandlerDeps): Pick<CallHandlers, keyof DatasetCalls | keyof VersionCalls> {
  return {
    'datasets:list': () => datasets.list(),
    'datasets:get': ({ datasetId }) => datasets.get(datasetId),
    'datasets:importFolder': ({ path: folder, name, importId, ...settings }) =>
      datasets.importFolder(folder, { name, importId, settings }),
    'datasets:cancelImport': ({ importId }) => datasets.cancelImport(importId),
    'datasets:beginUpload': ({ name }) => datasets.beginUpload(name),
    'datasets:finishUpload': ({ uploadId, ...settings }) =>
      datasets.finishUpload(uploadId, settings),
    'datasets:browse': (args) => versions.browse(args),
    'datasets:itemText': ({ itemId, maxChars }) => versions.itemText(itemId, maxChars),
    'datasets:versions': ({ datasetId }) => versions.versions(datasetId),
    'datasets:getVersion': ({ versionId }) => versions.getVersion(versionId),
    'datasets:editItems': ({ datasetId, baseVersionId, itemIds, edit }) =>
      versions.editItems(datasetId, baseVersionId, itemIds, edit),
    'datasets:setPreprocessing': ({ datasetId, baseVersionId, preprocessing }) =>
      versions.setPreprocessing(datasetId, baseVersionId, preprocessing),
    'datasets:undo': ({ datasetId, baseVersionId }) => versions.undo(datasetId, baseVersionId),
    'datasets:restoreVersion': ({ datasetId, baseVersionId, versionId }) =>
      versions.restore(datasetId, baseVersionId, versionId),
    'datasets:compareVersions': ({ fromVersionId, toVersionId }) =>
      versions.compare(fromVersionId, toVersionId),
    'datasets:previewPreprocessing': ({ datasetId, preprocessing, itemIds, count }) =>
      prepare.preview(datasetId, preprocessing, itemIds, count),
    'datasets:textStats': ({ versionId }) => prepare.textStats(versionId),
  };
}
