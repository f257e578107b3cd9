// The fine-tuned model directory, written all at once: every file goes into a temporary folder
// beside --out, which then takes --out's place, so a failed or interrupted run leaves --out as it was.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fail } from '@twinembed/core';

/** File name → contents (bytes, or an object written as JSON). */
export type DirectoryFiles = Readonly<Record<string, Uint8Array | object>>;

/** Fails before any training when --out cannot be written: a missing parent, or an existing file. */
export async function checkOutputPath(out: string): Promise<void> {
  const parent = await stat(dirname(out)).catch(() => undefined);
  if (!parent?.isDirectory()) fail('io', `cannot write the model into "${out}": expected its parent folder "${dirname(out)}" to exist, got ${parent ? 'a file' : 'nothing'}`);
  const info = await stat(out).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) fail('io', `cannot write the model into "${out}": expected a folder (or a new path), got a file`);
}

/** Writes `files` as the folder `out`, replacing a previous folder there only once every file is written. */
export async function writeModelDirectory(out: string, files: DirectoryFiles): Promise<void> {
  const tag = randomBytes(4).toString('hex');
  const temporary = join(dirname(out), `.${basename(out)}.${tag}.tmp`);
  const previous = join(dirname(out), `.${basename(out)}.${tag}.old`);
  try {
    await mkdir(temporary);
    for (const [name, content] of Object.entries(files)) {
      await writeFile(join(temporary, name), content instanceof Uint8Array ? content : `${JSON.stringify(content, null, 2)}\n`);
    }
    const existed = (await stat(out).catch(() => undefined)) !== undefined;
    if (existed) await rename(out, previous);
    await rename(temporary, out);
    if (existed) await rm(previous, { recursive: true, force: true });
  } catch (cause) {
    await rm(temporary, { recursive: true, force: true });
    fail('io', `cannot write the model into "${out}": ${(cause as Error).message}`, cause);
  }
}
