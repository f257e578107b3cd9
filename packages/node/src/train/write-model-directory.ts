// The library's model-directory writer (the CLI's train and finetune write through the same code):
// --out is checked by output-path.ts (never an input, a folder replaced only when twinembed wrote it
// or with overwrite) and written whole through a temporary sibling by output-directory.ts.
import { checkOutput, type OutputInputs } from '../output-path.js';
import { writeOutputDirectory, type DirectoryFiles } from '../output-directory.js';

export type { DirectoryFiles };

export interface ModelDirectoryOptions {
  /** Paths read to make the model, by name (`{ '--model': dir }`): `out` may not be, hold or replace one. */
  inputs?: OutputInputs;
  /** Replace a folder twinembed did not write. */
  overwrite?: boolean;
}

/** Fails before any training when `out` cannot be written: a missing parent, a file, an input, a folder twinembed did not write. */
export async function checkOutputPath(out: string, options: ModelDirectoryOptions = {}): Promise<void> {
  await checkOutput({ out, kind: 'dir', what: 'the model', ...options });
}

/** Writes `files` as the folder `out` (checked as checkOutputPath does), replacing a previous folder there only once every file is written. */
export async function writeModelDirectory(out: string, files: DirectoryFiles, options: ModelDirectoryOptions = {}): Promise<void> {
  const target = await checkOutput({ out, kind: 'dir', what: 'the model', ...options });
  await writeOutputDirectory({ out: target.path, files, command: 'writeModelDirectory', what: 'the model' });
}
