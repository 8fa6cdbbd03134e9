import { writeFileAtomic } from '../../store/atomicWrite';
import { sha256, type BlobStore } from '../../store/blobStore';
import type { ThumbnailStore } from '../../store/thumbnails';
import { formatMismatchNote } from './fileKinds';
import type { FileToImport, ImportSink } from './importSink';
import type { ImportRecords } from './importRecords';
import { inspectImage, type ImageFacts } from './inspectImage';

export interface ImageFileDeps {
  blobs: BlobStore;
  thumbnails: ThumbnailStore;
  records: ImportRecords;
}

/**
 * Imports one image file: content-addressed original, thumbnail, facts. Bytes already stored by
 * an earlier import are not decoded again (re-importing a folder only hashes what it had), and a
 * file whose bytes are another format than its name says is imported as what it is, with a note.
 */
export async function importImageFile(
  deps: ImageFileDeps,
  file: FileToImport,
  sink: ImportSink,
): Promise<void> {
  const sha = sha256(file.bytes);
  const thumbnailPath = deps.thumbnails.pathOf(sha);
  const hasThumbnail = await deps.thumbnails.refresh(sha);
  let facts: ImageFacts | null = hasThumbnail ? deps.records.knownImageFacts(sha) : null;
  if (!facts) {
    const inspected = await inspectImage(file.bytes);
    if (!inspected.ok) {
      sink.skip(file.shownPath, inspected.reason);
      return;
    }
    facts = inspected.facts;
    if (!hasThumbnail) await writeFileAtomic(thumbnailPath, inspected.thumbnail, { flush: false });
  }
  await deps.blobs.putWithSha(sha, file.bytes);
  sink.item({
    blobSha: sha,
    kind: 'image',
    label: file.label,
    sourcePath: file.shownPath,
    byteSize: file.bytes.length,
    format: facts.format,
    width: facts.width,
    height: facts.height,
    channels: facts.channels,
  });
  const note = formatMismatchNote(file.kind, facts.format);
  if (note) sink.note(file.shownPath, note);
}
