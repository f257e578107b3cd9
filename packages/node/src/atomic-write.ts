// Files replaced atomically: written to a temporary file in the same folder, synced, then renamed
// over the target, so a crash or a full disk leaves the previous file (or none), never half of one.
// Temporaries of a dead writer are removed first; a signal handler can remove this one's (temporary-paths.ts).
import { open, rename, rm } from 'node:fs/promises';
import { fail } from '@twinembed/core';
import { holdSiblings, siblingsOf, sweepStaleSiblings } from './temporary-paths.js';

/** Writes `bytes` to `path` atomically; `what` names the file in the error (`cannot write ${what} "path"`). */
export async function writeFileAtomic(path: string, bytes: Uint8Array, what: string): Promise<void> {
  sweepStaleSiblings(path);
  const siblings = siblingsOf(path);
  const release = holdSiblings(path, siblings);
  try {
    const handle = await open(siblings.temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(siblings.temporary, path);
  } catch (cause) {
    await rm(siblings.temporary, { force: true });
    fail('io', `cannot write ${what} "${path}": ${(cause as Error).message}`, cause);
  } finally {
    release();
  }
}
