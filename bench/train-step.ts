// Train-step cost on node-cpu: for koch-cnn-a (Triplet, 3 × 32 images), bert-tiny-a (ContrastiveLoss,
// 2 × 32 sentences) and conv4 with 64 channels (MNRL, 2 × 32 images), the forward pass (encoder once
// over the branches + pooling + loss) against the whole train step (+ backward + AdamW, parameters and
// state fed each step), as medians of interleaved runs. Target: train step ≤ 3.5× forward (a
// hand-written backward's cost). Run: pnpm bench:train [--rounds N] [--threads N] [--clock wall|cpu]
// [--only koch,bert,conv4]. On a shared machine, `--threads 1 --clock cpu` (process CPU time of one
// onnxruntime thread) is the figure other processes disturb least.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  buildLossModel, buildTrainStep, createAdamW, createTensor, createTrainer, encodeModel, nodeRuntime, readSafetensors, seededUniform, takeRows, tripletLoss,
  type AnyLossEntry, type Tensor, type TrainBatch,
} from '@twinembed/node';
import { conv4Encoder } from '../packages/core/src/encoders/conv4-encoder.js';
import { sharedPath } from '../test/support/paths.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' }, warmup: { type: 'string', default: '3' }, threads: { type: 'string' },
    clock: { type: 'string', default: 'wall' }, only: { type: 'string' },
  },
});
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);
const THREADS = args.threads === undefined ? undefined : Number(args.threads);
const ONLY = args.only?.split(',');
if (args.clock !== 'wall' && args.clock !== 'cpu') throw new Error(`--clock: expected wall or cpu, got ${args.clock}`);
/** Milliseconds on the chosen clock: wall time, or this process's CPU time (user + system). */
const now = args.clock === 'wall' ? () => performance.now() : () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const BATCH = 32;
const fixture = (dir: string, f: string) => readFileSync(sharedPath('fixtures', dir, f));

interface Case { key: string; name: string; encoder: Uint8Array; loss: string | AnyLossEntry; batch: TrainBatch }

const image = (seed: number): Tensor => createTensor('float32', seededUniform(seed, BATCH * 28 * 28, 0, 1), [BATCH, 1, 28, 28]);

function kochCase(): Case {
  return {
    key: 'koch', name: 'koch-cnn-a (Triplet, 3×32 images)', encoder: fixture('koch-cnn-a', 'encoder.onnx'),
    loss: { kind: 'triplets', columns: [], build: (b, x) => tripletLoss(b, x, { margin: 1, eps: 0 }) },
    batch: { 'anchor.image': image(1), 'positive.image': image(2), 'negative.image': image(3) },
  };
}

function bertCase(): Case {
  const inputs = readSafetensors(fixture('bert-tiny-a', 'inputs.safetensors'));
  const rows = Array.from({ length: BATCH }, (_, i) => i);
  const shifted = rows.map((i) => (i + 1) % BATCH);
  const role = (name: string, r: number[]) => Object.fromEntries(['input_ids', 'attention_mask', 'token_type_ids'].map((x) => [`${name}.${x}`, takeRows(inputs.get(x)!, r)]));
  const labels = createTensor('float32', Float32Array.from(rows, (i) => (i % 4 === 3 ? 0 : 1)), [BATCH]);
  return { key: 'bert', name: 'bert-tiny-a (ContrastiveLoss, 2×32 sentences)', encoder: fixture('bert-tiny-a', 'model.dynamo.onnx'), loss: 'ContrastiveLoss', batch: { ...role('anchor', rows), ...role('other', shifted), labels } };
}

/** 4 × (Conv 3×3 pad 1 → per-example norm → ReLU → MaxPool 2) on 28×28: pools 28→14→7→3→1, the last two with an unused border. */
function conv4Case(): Case {
  return {
    key: 'conv4', name: 'conv4 64ch (MNRL, 2×32 images)', encoder: encodeModel(conv4Encoder({ channels: 64 }).toModel()),
    loss: 'MultipleNegativesRankingLoss', batch: { 'anchor.pixels': image(1), 'positive.pixels': image(2) },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function measure(c: Case): Promise<void> {
  const runtime = nodeRuntime(THREADS === undefined ? {} : { intraOpNumThreads: THREADS });
  const forward = await runtime.createSession(buildLossModel({ encoder: c.encoder, loss: c.loss }));
  const step = buildTrainStep({ encoder: c.encoder, loss: c.loss, optimizer: createAdamW() });
  const trainer = await createTrainer({ runtime, step, lr: 1e-5 });
  const forwardMs: number[] = [];
  const stepMs: number[] = [];
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    let t = now();
    await forward.run(c.batch, { outputs: ['loss'] });
    const f = now() - t;
    t = now();
    await trainer.step(c.batch);
    const s = now() - t;
    if (r >= WARMUP) {
      forwardMs.push(f);
      stepMs.push(s);
    }
  }
  await Promise.all([forward.release(), trainer.release()]);
  const [fm, sm] = [median(forwardMs), median(stepMs)];
  console.log(`${c.name.padEnd(46)} forward ${fm.toFixed(2).padStart(8)} ms   train step ${sm.toFixed(2).padStart(8)} ms   ratio ${(sm / fm).toFixed(2)}× (target ≤ 3.5×)   ${(1000 / sm).toFixed(1)} steps/s   [${step.params.length} parameter tensors]`);
}

async function main(): Promise<void> {
  console.log(`node-cpu, ${THREADS ?? 'default'} threads, medians of ${ROUNDS} interleaved runs after ${WARMUP} warm-up runs, ${args.clock === 'wall' ? 'wall time' : 'process CPU time'}`);
  const cases = [kochCase, bertCase, conv4Case].map((make) => make()).filter((c) => !ONLY || ONLY.includes(c.key));
  for (const c of cases) await measure(c);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
