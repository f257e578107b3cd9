// A digest of a folder tree (names, kinds, symlink targets, file bytes), to assert that a command
// touched nothing outside its declared output.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** sha256 over every entry under `root`, in sorted order; entries named in `skip` (relative paths) are left out. */
export function treeHash(root: string, skip: readonly string[] = []): string {
  const hash = createHash('sha256');
  const walk = (rel: string) => {
    const path = join(root, rel);
    const info = lstatSync(path);
    if (info.isSymbolicLink()) hash.update(`link ${rel} -> ${readlinkSync(path)}\n`);
    else if (info.isDirectory()) {
      hash.update(`dir ${rel}\n`);
      for (const name of readdirSync(path).sort()) if (!skip.includes(join(rel, name))) walk(join(rel, name));
    } else hash.update(`file ${rel} ${info.size}\n`).update(readFileSync(path));
  };
  walk('');
  return hash.digest('hex');
}
