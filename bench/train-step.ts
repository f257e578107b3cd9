// Train-step cost on node-cpu: for koch-cnn-a (Triplet, 3 × 32 images), bert-tiny-a (ContrastiveLoss,
// 2 × 32 sentences) and conv4 with 64 channels (MNRL, 2 × 32 images), the forward pass (encoder once
// over the branches + pooling + loss) against the whole train step (+ backward + AdamW, parameters and
// state fed each step), as medians of interleaved runs. Target: train step ≤ 3.5× forward (a
// hand-written backward's cost). A second forward takes the parameters as inputs, as the step does:
// onnxruntime prepacks only constant weights (NCHWc Conv kernels, packed GEMM B), so the step's own
// forward runs the slower kernels, and "step / forward as inputs" is what backward + update cost on
// equal kernels. Run: pnpm bench:train [--rounds N] [--threads N] [--clock wall|cpu]
// [--only koch,bert,conv4]. On a shared machine, `--threads 1 --clock cpu` (process CPU time of one
// onnxruntime thread) is the figure other processes disturb least.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  buildLossModel, buildTrainStep, createAdamW, createTensor, createTrainer, encodeModel, nodeRuntime, readSafetensors, seededUniform, takeRows, tripletLoss,
  type AnyLossEntry, type Tensor, type TrainBatch,
} from '@twinembed/node';
import { conv4Encoder } from '../packages/core/src/encoders/conv4-encoder.js';
import { decodeModel, encodeModel as encodeProto } from '../packages/core/src/onnx/proto.js';
import { paramsAsInputs } from '../packages/core/src/train/params-as-inputs.js';
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
  const step = buildTrainStep({ encoder: c.encoder, loss: c.loss, optimizer: createAdamW() });
  const lossModel = buildLossModel({ encoder: c.encoder, loss: c.loss });
  const forward = await runtime.createSession(lossModel);
  const forwardAsInputs = await runtime.createSession(encodeProto(paramsAsInputs(decodeModel(lossModel), step.params)));
  const trainer = await createTrainer({ runtime, step, lr: 1e-5 });
  const times = { forward: [] as number[], asInputs: [] as number[], step: [] as number[] };
  const timed = async (into: number[], r: number, run: () => Promise<unknown>) => {
    const t = now();
    await run();
    if (r >= WARMUP) into.push(now() - t);
  };
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    await timed(times.forward, r, () => forward.run(c.batch, { outputs: ['loss'] }));
    await timed(times.asInputs, r, () => forwardAsInputs.run({ ...c.batch, ...trainer.checkpoint().params }, { outputs: ['loss'] }));
    await timed(times.step, r, () => trainer.step(c.batch));
  }
  await Promise.all([forward.release(), forwardAsInputs.release(), trainer.release()]);
  const [fm, im, sm] = [median(times.forward), median(times.asInputs), median(times.step)];
  const ms = (x: number) => `${x.toFixed(2).padStart(7)} ms`;
  console.log(`${c.name.padEnd(46)} forward ${ms(fm)}   as inputs ${ms(im)}   train step ${ms(sm)}   step/forward ${(sm / fm).toFixed(2)}× (target ≤ 3.5×)   step/as inputs ${(sm / im).toFixed(2)}×   ${(1000 / sm).toFixed(1)} steps/s   [${step.params.length} parameter tensors]`);
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
