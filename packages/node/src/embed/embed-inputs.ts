// What the CLI embeds: texts from arguments, a text or JSONL file, or PNG/JPEG files and folders.
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fail, type EmbedInput } from '@twinembed/core';
import { readRegularText } from '../read-regular-file.js';
import { decodeImageFile } from './decode-image.js';

export type InputSource =
  | { kind: 'text'; texts: string[] }
  | { kind: 'file'; path: string }
  | { kind: 'images'; paths: string[] };

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

function parseLine(line: string, path: string, n: number): string {
  if (!line.trimStart().startsWith('{')) return line;
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch (cause) {
    return fail('cli', `${path}, line ${n}: expected a JSON object, got text that does not parse (${(cause as Error).message})`, cause);
  }
  const text = (row as { text?: unknown }).text;
  if (typeof text !== 'string') fail('cli', `${path}, line ${n}: expected {"text": "…"}, got ${line.slice(0, 80)}`);
  return text;
}

/** One input per non-empty line; lines that start with `{` are JSONL rows with a "text" field. */
export async function readTextFile(path: string): Promise<string[]> {
  const text = await readRegularText(path);
  return text.split(/\r?\n/).flatMap((line, i) => (line.trim() === '' ? [] : [parseLine(line, path, i + 1)]));
}

/** The PNG/JPEG entries of a folder listing, sorted, as paths: a loop, as a folder can hold 200,000 of them. */
export function imageFilesIn(dir: string, names: readonly string[]): string[] {
  return names.filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase())).sort().map((f) => join(dir, f));
}

async function imagePaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((cause: NodeJS.ErrnoException) => fail('io', `cannot read "${path}": ${cause.code === 'ENOENT' ? 'no such file or directory' : cause.message}`, cause));
    if (!info.isDirectory()) out.push(path);
    else for (const file of imageFilesIn(path, await readdir(path))) out.push(file);
  }
  return out;
}

export async function readEmbedInputs(source: InputSource): Promise<EmbedInput[]> {
  if (source.kind === 'text') return source.texts;
  if (source.kind === 'file') return readTextFile(source.path);
  return Promise.all((await imagePaths(source.paths)).map(decodeImageFile));
}
