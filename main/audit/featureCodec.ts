// Packs a feature record (plain fields plus typed arrays) into one BLOB for the feature cache:
// a length-prefixed JSON header, then each array's bytes, 4-byte aligned. JSON alone would store
// a 1,024-float vector as ~10 KB of text; this keeps it at 4 KB and decodes without parsing.

type ArrayKind = 'f32' | 'u8';

interface Header {
  fields: Record<string, unknown>;
  arrays: { name: string; kind: ArrayKind; length: number }[];
}

export type Packable = Record<string, unknown>;

export function packFeatures(record: Packable): Buffer {
  const header: Header = { fields: {}, arrays: [] };
  const parts: { bytes: Uint8Array; kind: ArrayKind }[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (value instanceof Float32Array) {
      header.arrays.push({ name, kind: 'f32', length: value.length });
      parts.push({
        bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
        kind: 'f32',
      });
    } else if (value instanceof Uint8Array) {
      header.arrays.push({ name, kind: 'u8', length: value.length });
      parts.push({ bytes: value, kind: 'u8' });
    } else {
      header.fields[name] = value;
    }
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  let size = align4(4 + json.length);
  for (const part of parts) size = align4(size + part.bytes.length);
  const out = Buffer.alloc(size);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  let offset = align4(4 + json.length);
  for (const part of parts) {
    out.set(part.bytes, offset);
    offset = align4(offset + part.bytes.length);
  }
  return out;
}

export function unpackFeatures<T extends Packable>(blob: Uint8Array): T {
  const view = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const jsonLength = view.readUInt32LE(0);
  const header = JSON.parse(view.subarray(4, 4 + jsonLength).toString('utf8')) as Header;
  const record: Record<string, unknown> = { ...header.fields };
  let offset = align4(4 + jsonLength);
  for (const array of header.arrays) {
    const bytes = array.kind === 'f32' ? array.length * 4 : array.length;
    // Copied out: the cache row's buffer is reused by the driver, and an aligned copy is needed
    // for a Float32Array view anyway.
    const copy = new Uint8Array(bytes);
    copy.set(view.subarray(offset, offset + bytes));
    record[array.name] = array.kind === 'f32' ? new Float32Array(copy.buffer) : copy;
    offset = align4(offset + bytes);
  }
  return record as T;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
