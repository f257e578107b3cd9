// Runs the twinembed CLI as a child process and kills it at a planned point: after its k-th stdout
// line, after a delay, or the moment a temporary sibling of an output appears (fs.watch), for the
// kill tests of test/hostile.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

export type KillTrigger = 'line' | 'delay' | 'temporary';

export interface KillPlan {
  trigger: KillTrigger;
  /** The stdout line to kill after ('line'), or milliseconds after the start ('delay'). */
  at: number;
  /** Milliseconds between the trigger and the signal. */
  extraMs: number;
  signal?: NodeJS.Signals;
}

export interface KillResult { code: number | null; signal: NodeJS.Signals | null; stderr: string }

const BIN = join(REPO_ROOT, 'packages', 'node', 'src', 'cli', 'bin.ts');

/** Temporary siblings of `name` in `dir` (`.<name>.<pid>.<hex>.tmp|old`). */
export function strays(dir: string, name: string): string[] {
  return readdirSync(dir).filter((e) => e.startsWith(`.${name}.`) && /\.\d+\.[0-9a-f]{8}\.(tmp|old)$/.test(e));
}

/** Runs `twinembed …argv` and sends the plan's signal (default SIGKILL) when it triggers; `watched` are [folder, output name] pairs. */
export async function runAndKill(argv: readonly string[], plan: KillPlan, watched: readonly [string, string][] = []): Promise<KillResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@twinembed/source', BIN, ...argv], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let fired = false;
  const fire = () => {
    if (fired) return;
    fired = true;
    setTimeout(() => child.kill(plan.signal ?? 'SIGKILL'), plan.extraMs);
  };
  let lines = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    lines += chunk.toString().split('\n').length - 1;
    if (plan.trigger === 'line' && lines >= plan.at) fire();
  });
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const timer = plan.trigger === 'delay' ? setTimeout(fire, plan.at) : undefined;
  const watchers: FSWatcher[] = plan.trigger !== 'temporary' ? [] : watched.map(([dir, name]) => watch(dir, (_, file) => {
    if (file && file.startsWith(`.${name}.`) && /\.tmp$/.test(file)) fire();
  }));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  for (const w of watchers) w.close();
  return { code, signal, stderr };
}
