import { promises as fs } from 'node:fs';
import path from 'node:path';

// "License of the data where known": the studio does not ask for one, but a dataset folder often
// says: a LICENSE/LICENCE/COPYING file at its top, or a dataset card (README.md) whose front
// matter has `license: cc-by-4.0` as Hugging Face's cards do. Read from the imported folder at
// export time; an uploaded folder (no path on this disk) or one without either is "not known".

export interface DataLicense {
  /** What the terms are called: the card's `license:` value, or the license file's title line. */
  name: string;
  /** The file it was read from, absolute. */
  file: string;
}

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(txt|md|markdown|rst))?$/i;
const CARD_FILE = /^readme(\.md|\.markdown)?$/i;
/** Longer than a title: a license file that starts with its text, not its name. */
const MAX_NAME = 120;

/** The license a dataset folder declares, or null when it declares none (or is not on disk). */
export async function findDataLicense(folder: string): Promise<DataLicense | null> {
  const names = await fs.readdir(folder).catch(() => null);
  if (names === null) return null;
  for (const name of names.filter((n) => CARD_FILE.test(n)).sort()) {
    const file = path.join(folder, name);
    const declared = cardLicense(await readText(file));
    if (declared) return { name: declared, file };
  }
  for (const name of names.filter((n) => LICENSE_FILE.test(n)).sort()) {
    const file = path.join(folder, name);
    const title = titleLine(await readText(file));
    if (title) return { name: title, file };
  }
  return null;
}

async function readText(file: string): Promise<string> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return '';
  try {
    // The title and the front matter are at the top; a 4 KB read is enough and bounded.
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return ''; // a folder named LICENSE, an unreadable file: no license known from it
  } finally {
    await handle.close();
  }
}

/** `license:` in a card's YAML front matter (`license: mit`, or the first item of a list). */
export function cardLicense(text: string): string | null {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1];
  if (!front) return null;
  const lines = front.split(/\r?\n/);
  const at = lines.findIndex((l) => /^license\s*:/i.test(l));
  if (at < 0) return null;
  const inline = unquote(lines[at]!.replace(/^license\s*:/i, '').trim());
  if (inline) return inline;
  const item = /^\s*-\s*(.+)$/.exec(lines[at + 1] ?? '')?.[1];
  return item ? unquote(item.trim()) : null;
}

/** A license file's first line with words in it ("MIT License", "Apache License"). */
export function titleLine(text: string): string | null {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.replace(/^[#=\s*]+|[=\s*]+$/g, ''))
    .find((l) => /[a-z]{2}/i.test(l));
  return line && line.length <= MAX_NAME ? line : null;
}

function unquote(value: string): string {
  return value.replace(/^['"]|['"]$/g, '').trim();
}
