// Files replaced atomically: written to a temporary file in the same folder, synced, then renamed
// over the target, so a crash or a full disk leaves the previous file (or none), never half of one.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fail } from '@twinembed/core';

/** Writes `bytes` to `path` atomically; `what` names the file in the error (`cannot write ${what} "path"`). */
export async function writeFileAtomic(path: string, bytes: Uint8Array, what: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (cause) {
    await rm(temporary, { force: true });
    fail('io', `cannot write ${what} "${path}": ${(cause as Error).message}`, cause);
  }
}
