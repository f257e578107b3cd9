// Kill tests (issue 14): finetune, train and index build killed with SIGKILL at seeded random points
// (after a step line or a delay, or as a temporary appears) leave the previous output — or a complete
// new one — loadable, and the next run leaves no temporary; SIGINT leaves none even without a next run.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../packages/core/src/random.js';
import { loadIndex } from '../../packages/node/src/index-file.js';
import { OUTPUT_MARKER, readOutputMarker } from '../../packages/node/src/output-path.js';
import { loadCheckpoint } from '../../packages/node/src/train/checkpoint-file.js';
import { runAndKill, strays, type KillPlan, type KillTrigger } from '../support/kill-child.js';
import { hasShared } from '../support/paths.js';
import { finetuneArgs, makeWorkspace, trainArgs, type Workspace } from '../support/output-workspace.js';
import { cli } from '../support/run-cli.js';
import { tempDirs } from '../support/temp-dirs.js';
import { treeHash } from '../support/tree-hash.js';

const newDir = tempDirs('kill');
const report = (text: string) => process.env.TWINEMBED_REPORT && console.log(text);

/** Kill points: a 'line' after one of the run's `lines` stdout lines; a 'delay' (a fraction of an unkilled child's run, set per run) from halfway to just past its end. */
function plans(seed: number, triggers: KillTrigger[], lines: number): KillPlan[] {
  const rng = seededRandom(seed);
  return triggers.map((trigger) => ({ trigger, at: trigger === 'line' ? 1 + Math.floor(rng() * lines) : trigger === 'delay' ? 0.5 + 0.55 * rng() : 0, extraMs: Math.floor(rng() * 20) }));
}

/** A folder twinembed finished: its marker claims exactly its entries. */
async function complete(dir: string): Promise<boolean> {
  const marker = await readOutputMarker(dir);
  return marker !== undefined && JSON.stringify(readdirSync(dir).sort()) === JSON.stringify([OUTPUT_MARKER, ...marker.files].sort());
}

interface Subject {
  argv: (w: Workspace, out: string) => string[];
  /** Fails unless `out` loads and embeds (or searches). */
  load: (w: Workspace, out: string) => Promise<void>;
  plans: KillPlan[];
  /** Other [folder, name] outputs of the run (finetune's checkpoint). */
  also?: (out: string) => [string, string][];
}

const embedWith = async (argv: string[]) => {
  const run = await cli('embed', ...argv);
  expect([run.code, run.err]).toEqual([0, '']);
};

const subjects: Record<string, Subject> = {
  finetune: {
    argv: (w, out) => [...finetuneArgs(w).map((a) => (a === '1' ? '6' : a)), '--checkpoint-every', '2', '--json', '--out', out],
    load: (_, out) => embedWith(['--model', out, '--text', 'a cat sits']),
    plans: plans(14, ['temporary', 'line', 'delay'], 7),
    also: (out) => [[`${out}.checkpoints`, 'checkpoint.safetensors']],
  },
  train: {
    argv: (w, out) => [...trainArgs(w, 12), '--validate-every', '3', '--json', '--out', out],
    load: (w, out) => embedWith(['--model', out, '--images', join(w.images, 'c0', '0.png')]),
    plans: plans(15, ['temporary', 'line', 'delay'], 5),
  },
  'index build': {
    argv: (w, out) => ['index', 'build', '--vectors', w.vectors, '--backend', 'hnsw', '--out', out],
    load: async (_, out) => void expect((await loadIndex(join(out, 'index.twinembed'))).index.size).toBe(3000),
    plans: plans(16, ['temporary', 'delay', 'delay'], 0),
  },
};

describe.skipIf(!hasShared)('killed with SIGKILL at seeded points: the previous output stays loadable', () => {
  test.each(Object.keys(subjects))('%s', async (name) => {
    const s = subjects[name]!;
    const w = makeWorkspace(newDir(), 3000);
    const out = join(w.root, 'out');
    const argv = s.argv(w, out);
    // the previous output, by an unkilled child whose run time scales the delays
    const started = performance.now();
    const first = await runAndKill(argv, { trigger: 'line', at: Infinity, extraMs: 0 });
    const childMs = performance.now() - started;
    expect([first.code, first.stderr]).toEqual([0, '']);
    const watched: [string, string][] = [[w.root, 'out'], ...(s.also?.(out) ?? [])];
    for (const given of s.plans) {
      const plan = given.trigger === 'delay' ? { ...given, at: Math.round(given.at * childMs) } : given;
      const previous = treeHash(out);
      const result = await runAndKill(argv, plan, watched);
      const left = watched.flatMap(([dir, file]) => strays(dir, file));
      report(`${name} ${JSON.stringify(plan)}: ${result.signal ?? `exit ${result.code}`}, left ${left.length ? left.join(' ') : 'nothing'}`);
      expect(result.signal === 'SIGKILL' || result.code === 0, result.stderr).toBe(true);
      if (!existsSync(out)) {
        // killed between the swap's two renames: the previous folder waits beside it, the next run puts it back
        expect(left.some((e) => e.endsWith('.old'))).toBe(true);
        continue;
      }
      expect(treeHash(out) === previous || (await complete(out))).toBe(true);
      await s.load(w, out);
      for (const [dir, file] of s.also?.(out) ?? []) if (existsSync(join(dir, file))) await loadCheckpoint(join(dir, file));
    }
    const next = await cli(...argv);
    expect([next.code, next.err]).toEqual([0, '']);
    expect(watched.flatMap(([dir, file]) => strays(dir, file))).toEqual([]);
    expect(await complete(out)).toBe(true);
    await s.load(w, out);
  });
});

describe.skipIf(!hasShared)('SIGINT while a temporary is open: the handler removes it before the process dies', () => {
  test('finetune, interrupted as its checkpoint or its output is being written', async () => {
    const w = makeWorkspace(newDir());
    const out = join(w.root, 'out');
    const argv = subjects.finetune!.argv(w, out);
    const watched: [string, string][] = [[w.root, 'out'], [`${out}.checkpoints`, 'checkpoint.safetensors']];
    expect((await cli(...argv)).code).toBe(0);
    for (const extraMs of [0, 4]) {
      const result = await runAndKill(argv, { trigger: 'temporary', at: 0, extraMs, signal: 'SIGINT' }, watched);
      report(`finetune SIGINT +${extraMs} ms: ${result.signal ?? `exit ${result.code}`}`);
      expect(result.signal === 'SIGINT' || result.code === 0, result.stderr).toBe(true);
      expect(watched.flatMap(([dir, file]) => strays(dir, file))).toEqual([]);
      expect(await complete(out)).toBe(true);
    }
  });
});
