// An output folder written all at once: every file (and the OUTPUT_MARKER listing them) goes into a
// synced temporary sibling, which then takes the folder's place, so an interrupted or failed write
// leaves the previous folder; a kill between the swap's two renames is undone at the next write.
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fail } from '@twinembed/core';
import { OUTPUT_MARKER, type OutputMarker } from './output-path.js';
import { holdSiblings, settleSync, siblingsOf, sweepStaleSiblings } from './temporary-paths.js';
import { syncFolder, writeSynced } from './synced-write.js';

/** File name → contents (bytes, or an object written as JSON). */
export type DirectoryFiles = Readonly<Record<string, Uint8Array | object>>;

export interface WriteOutputDirectoryOptions {
  /** The folder to write (an OutputTarget's path: check it with checkOutput first). */
  out: string;
  files: DirectoryFiles;
  /** The command recorded in the marker, e.g. "finetune". */
  command: string;
  /** Names the output in errors: "the model", "the index". */
  what: string;
}

/** Writes `files` as the folder `out`, replacing a folder there only once every file is written and synced. */
export async function writeOutputDirectory(o: WriteOutputDirectoryOptions): Promise<void> {
  sweepStaleSiblings(o.out);
  const siblings = siblingsOf(o.out);
  const release = holdSiblings(o.out, siblings);
  const marker: OutputMarker = { twinembed: 1, command: o.command, files: Object.keys(o.files).sort() };
  try {
    await mkdir(siblings.temporary);
    for (const [name, content] of Object.entries(o.files)) {
      await writeSynced(join(siblings.temporary, name), content instanceof Uint8Array ? content : `${JSON.stringify(content, null, 2)}\n`);
    }
    await writeSynced(join(siblings.temporary, OUTPUT_MARKER), `${JSON.stringify(marker)}\n`);
    await syncFolder(siblings.temporary);
    const existed = await rename(o.out, siblings.previous).then(() => true, (cause: NodeJS.ErrnoException) => (cause.code === 'ENOENT' ? false : Promise.reject(cause)));
    await rename(siblings.temporary, o.out);
    await syncFolder(dirname(o.out));
    if (existed) await rm(siblings.previous, { recursive: true, force: true });
  } catch (cause) {
    settleSync(o.out, siblings);
    fail('io', `cannot write ${o.what} into "${o.out}": ${(cause as Error).message}`, cause);
  } finally {
    release();
  }
}
