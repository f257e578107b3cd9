// Starts index-files-child.ts in a fresh Node process (under tsx, on the TypeScript sources) and
// collects its JSON lines, exit code and signal: a native crash shows as a signal, not a dead runner.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/paths.js';

export interface ChildRun { code: number | null; signal: string | null; lines: Record<string, unknown>[]; stderr: string }

export async function child(...args: string[]): Promise<ChildRun> {
  const script = join(REPO_ROOT, 'test/hostile/index-files-child.ts');
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=@twinembed/source', script, ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20, timeout: 100_000 });
  type Ended = { stdout: string; stderr: string; code: number | null; signal: string | null };
  const { stdout, stderr, code, signal } = await run.then((r): Ended => ({ ...r, code: 0, signal: null }), (e: Ended) => e);
  return { code, signal, stderr, lines: stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

