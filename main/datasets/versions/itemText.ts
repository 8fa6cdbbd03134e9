import { promises as fs } from 'node:fs';
import type { BlobStore } from '../../store/blobStore';

const decoder = new TextDecoder('utf-8');

/** Code points, not UTF-16 units: an emoji is one character to a person and to the tokenizer. */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function firstChars(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n++ === max) break;
    out += ch;
  }
  return out;
}

/** A text item's whole content (its blob is the UTF-8 text). */
export async function readText(blobs: BlobStore, sha: string): Promise<string> {
  return decoder.decode(await blobs.read(sha));
}

/**
 * The first `chars` characters of a text blob, reading only its head: a list row needs a preview,
 * not a whole book.
 */
export async function readTextHead(blobs: BlobStore, sha: string, chars: number): Promise<string> {
  const handle = await fs.open(blobs.pathOf(sha), 'r');
  try {
    // UTF-8 is at most 4 bytes a character.
    const buffer = Buffer.alloc(chars * 4);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let text = decoder.decode(buffer.subarray(0, bytesRead));
    // A character cut in half at the end decodes to U+FFFD; it was never in the text.
    if (bytesRead === buffer.length) text = text.replace(/\uFFFD+$/, '');
    return firstChars(text, chars);
  } finally {
    await handle.close();
  }
}
