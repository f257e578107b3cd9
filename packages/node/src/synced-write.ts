// Durable writes for the atomic outputs: a file's bytes synced before it is renamed into place, and
// the folder synced after the rename, so a crash leaves the old output or the whole new one.
import { open } from 'node:fs/promises';

/** Writes `bytes` to `path` and syncs them to disk. */
export async function writeSynced(path: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Syncs a folder's entries (the renames in it) where the platform allows opening a folder. */
export async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
