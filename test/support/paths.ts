// Where the shared fixtures and data sets live: ../shared beside the repository, or TWINEMBED_SHARED.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = process.env.TWINEMBED_SHARED ?? join(REPO_ROOT, '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return join(SHARED, ...parts);
}

export const hasShared = existsSync(sharedPath('fixtures'));

/** Public data sets: ../shared/data, or TWINEMBED_DATA. Never copied into the repository. */
export const DATA_DIR = process.env.TWINEMBED_DATA ?? sharedPath('data');

export function dataPath(...parts: string[]): string {
  return join(DATA_DIR, ...parts);
}
