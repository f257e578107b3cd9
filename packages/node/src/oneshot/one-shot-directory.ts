// A one-shot classifier on disk: one directory holding oneshot.json (the manifest: metric, labels,
// the model's fingerprint, each file's size and CRC-32), index.twix and examples.f32. It is written
// whole into a temporary sibling, synced, and renamed into place, so a reader sees the old
// directory or the new one, never a mix; loading checks every size, checksum and the model.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  fail, restoreOneShotClassifier, SNAPSHOT_FORMAT, TwinembedError, type OneShotClassifier, type OneShotSnapshot,
  type RestoreOneShotOptions,
} from '@twinembed/core';
import { openIndexBytes } from '../index-file.js';
import { readOptionalText, readRegularFile } from '../read-regular-file.js';
import { nodeExampleReader, type NodeExample } from './node-one-shot-classifier.js';
import { syncFolder, writeSynced } from '../synced-write.js';

export const MANIFEST_FILE = 'oneshot.json';
export const INDEX_FILE = 'index.twix';
export const EXAMPLES_FILE = 'examples.f32';

/** A directory already at `dir` may be replaced only when it holds a saved classifier. */
async function checkReplaceable(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return false;
  const manifest = (await readOptionalText(join(dir, MANIFEST_FILE)).catch(() => undefined)) ?? '';
  if (!info.isDirectory() || !manifest.includes(`"${SNAPSHOT_FORMAT}"`)) {
    fail('oneshot', `cannot save the one-shot classifier to "${dir}": expected a new path or a directory it saved before, got ${info.isDirectory() ? `a directory without ${MANIFEST_FILE}` : 'a file'} (left as it is)`);
  }
  return true;
}

/** Writes `classifier` to the directory `dir`, replacing the classifier saved there before, if any. */
export async function saveOneShotClassifier(classifier: Pick<OneShotClassifier<never>, 'snapshot'>, dir: string): Promise<void> {
  const { manifest, index, examples } = classifier.snapshot();
  const replacing = await checkReplaceable(dir);
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const temporary = join(dirname(dir), `.${basename(dir)}.${tag}.tmp`);
  const old = join(dirname(dir), `.${basename(dir)}.${tag}.old`);
  let moved = false;
  try {
    await mkdir(dirname(dir), { recursive: true });
    await mkdir(temporary);
    await writeSynced(join(temporary, INDEX_FILE), index);
    await writeSynced(join(temporary, EXAMPLES_FILE), examples);
    await writeSynced(join(temporary, MANIFEST_FILE), new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
    await syncFolder(temporary);
    if (replacing) {
      await rename(dir, old);
      moved = true;
    }
    await rename(temporary, dir);
    await syncFolder(dirname(dir));
  } catch (cause) {
    if (moved) await rename(old, dir).catch(() => undefined);
    await rm(temporary, { recursive: true, force: true });
    fail('oneshot', `cannot save the one-shot classifier to "${dir}": ${(cause as Error).message}${replacing ? ' (the copy saved before is unchanged)' : ''}`, cause);
  }
  if (moved) await rm(old, { recursive: true, force: true });
}

export type LoadOneShotOptions<Input = NodeExample> = Omit<RestoreOneShotOptions<Input>, 'snapshot' | 'openIndex'>;

async function readPart(dir: string, file: string): Promise<Uint8Array> {
  return readRegularFile(join(dir, file)).catch((error: Error) => {
    const missing = (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    return fail('oneshot', `cannot load the one-shot classifier "${dir}": cannot read ${file} (${missing ? 'no such file: not a saved classifier?' : error.message.replace(/^\[twinembed:\w+\] /, '')})`, error);
  });
}

/** Reads a directory from saveOneShotClassifier; `embedder` must be the model it was saved with. Image paths are decoded as in createNodeOneShotClassifier. */
export async function loadOneShotClassifier(dir: string, options: LoadOneShotOptions): Promise<OneShotClassifier<NodeExample>> {
  const [manifestBytes, index, examples] = await Promise.all([readPart(dir, MANIFEST_FILE), readPart(dir, INDEX_FILE), readPart(dir, EXAMPLES_FILE)]);
  let manifest: OneShotSnapshot['manifest'];
  try {
    manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as OneShotSnapshot['manifest'];
  } catch (cause) {
    fail('oneshot', `cannot load the one-shot classifier "${dir}": ${MANIFEST_FILE} is not JSON (${(cause as Error).message})`, cause);
  }
  try {
    return restoreOneShotClassifier({
      readInput: nodeExampleReader(options.embedder), ...options, snapshot: { manifest, index, examples }, openIndex: (bytes) => openIndexBytes(bytes).index,
    });
  } catch (cause) {
    const reason = cause instanceof TwinembedError ? cause.message.replace(/^\[twinembed:[^\]]+\] (cannot restore the one-shot classifier: )?/, '') : String(cause);
    fail('oneshot', `cannot load the one-shot classifier "${dir}": ${reason}`, cause);
  }
}
