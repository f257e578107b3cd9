// Temporary siblings of an output being written: `.<name>.<pid>.<hex>.tmp` (the new copy) and
// `.<name>.<pid>.<hex>.old` (the folder it replaces, during the swap). Held ones are settled by the
// CLI on SIGINT/SIGTERM; ones left by a dead process (SIGKILL, power loss) are settled at the next write.
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Siblings {
  /** The new copy, renamed onto the target once complete. */
  temporary: string;
  /** Where a folder already at the target waits while the new copy takes its place. */
  previous: string;
}

/** Fresh sibling names for `target`, tagged with this process's id. */
export function siblingsOf(target: string): Siblings {
  const stem = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  return { temporary: `${stem}.tmp`, previous: `${stem}.old` };
}

const held = new Map<string, { target: string; siblings: Siblings }>();

/** Marks `siblings` as in use by this process until the returned function is called. */
export function holdSiblings(target: string, siblings: Siblings): () => void {
  held.set(siblings.temporary, { target, siblings });
  return () => void held.delete(siblings.temporary);
}

const present = (path: string) => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/**
 * Leaves `target` as a finished write or the one before it: a previous copy goes back when the
 * target is missing (interrupted between the two renames of a swap) and is dropped otherwise;
 * the temporary is removed. Synchronous, so a signal handler can run it.
 */
export function settleSync(target: string, siblings: Siblings): void {
  if (present(siblings.previous)) {
    if (present(target)) rmSync(siblings.previous, { recursive: true, force: true });
    else renameSync(siblings.previous, target);
  }
  rmSync(siblings.temporary, { recursive: true, force: true });
}

/** Settles every write this process has in flight (for SIGINT/SIGTERM handlers). */
export function settleHeldSync(): void {
  for (const { target, siblings } of held.values()) {
    try {
      settleSync(target, siblings);
    } catch {
      // the process is going down: settle what can be settled
    }
  }
  held.clear();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Settles the siblings of `target` left by processes that no longer run; returns the names removed or restored. */
export function sweepStaleSiblings(target: string): string[] {
  const folder = dirname(target);
  const pattern = new RegExp(`^(\\.${escaped(basename(target))}\\.(\\d+)\\.[0-9a-f]{8})\\.(tmp|old)$`);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const stale = new Set<string>();
  const swept: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match || held.has(join(folder, `${match[1]}.tmp`))) continue;
    // our own id but not held by us: left by an earlier process that had it (ids repeat, e.g. pid 1 in containers)
    const pid = Number(match[2]);
    if (pid !== process.pid && alive(pid)) continue;
    stale.add(match[1]!);
    swept.push(name);
  }
  for (const stem of stale) settleSync(target, { temporary: join(folder, `${stem}.tmp`), previous: join(folder, `${stem}.old`) });
  return swept;
}
