// `twinembed eval oneshot --runs DIR`: Lake et al.'s one-shot runs (data/lake-runs.ts) scored as their
// demo_classification.py does: each test item goes to its most similar training image; accuracy over all
// trials and per run. Images are turned to the model's stroke polarity, then preprocessed per its manifest.
import { type Command, Option } from 'commander';
import {
  createEmbedder, fail, INKS, matchInk, pairSimilarities, preprocessImage, type EvalMetric, type ImagePreprocessing, type Ink, type PairScorer, type Runtime,
} from '@twinembed/core';
import { readLakeRuns, type LakeRun } from '../data/lake-runs.js';
import { decodeImageFile } from '../embed/decode-image.js';
import { loadModelDirectory } from '../embed/model-directory.js';
import { nodeRuntime } from '../node-runtime.js';
import type { CliIo } from './main.js';
import { openPairHead } from './pair-head.js';
import { createProgress, progressEnabled } from './progress.js';

export interface RunsOptions {
  model: string; runs: string; runsInk: Ink; metric: EvalMetric; head?: boolean; batchSize: number; json?: boolean;
}

export interface RunScore { run: string; accuracy: number; correct: number; trials: number }

/** Options of `eval oneshot` that draw episodes from --data: none of them means anything with --runs. */
const EPISODE_OPTIONS = ['data', 'ways', 'shots', 'episodes', 'withinAlphabet', 'seed', 'sizeMismatch', 'strict'];

export function addRunsOptions(command: Command): Command {
  return command
    .addOption(new Option('--runs <dir>', 'score Lake et al.\'s one-shot runs instead of episodes (a folder of run01…run20, each with class_labels.txt, training/ and test/, or one run): each test item goes to its nearest training image, images resized as the model\'s twinembed.json says; not with --data, --ways, --shots, --episodes, --within-alphabet, --seed, --size-mismatch, --strict').conflicts(EPISODE_OPTIONS))
    .addOption(new Option('--runs-ink <ink>', 'strokes of the --runs images: dark on light paper (Lake\'s; the default) or light on dark; turned to the model\'s image.ink').choices(INKS));
}

/** Every image of every run once: row i of the embeddings is paths[i]. */
function imageRows(runs: readonly LakeRun[]): Map<string, number> {
  const rows = new Map<string, number>();
  for (const run of runs) for (const path of [...run.training, ...run.trials.map((t) => t.item)]) if (!rows.has(path)) rows.set(path, rows.size);
  return rows;
}

/** Nearest training image per trial; a tie among k candidates that includes the answer counts 1/k (as `eval oneshot`). */
export async function scoreRuns(runs: readonly LakeRun[], rows: ReadonlyMap<string, number>, score: PairScorer): Promise<RunScore[]> {
  const scores: RunScore[] = [];
  for (const run of runs) {
    const ways = run.training.length;
    const queries = Int32Array.from(run.trials.flatMap((t) => run.training.map(() => rows.get(t.item)!)));
    const supports = Int32Array.from(run.trials.flatMap(() => run.training.map((path) => rows.get(path)!)));
    const sim = await score(queries, supports);
    let correct = 0;
    run.trials.forEach((trial, t) => {
      let [best, tied] = [-Infinity, 0];
      for (let c = 0; c < ways; c++) {
        const s = sim[t * ways + c]!;
        if (Number.isNaN(s)) fail('eval', `run "${run.name}": expected finite similarities, got NaN for "${trial.item}" and "${run.training[c]}"`);
        if (s > best) [best, tied] = [s, 1];
        else if (s === best) tied++;
      }
      if (sim[t * ways + trial.answer] === best) correct += 1 / tied;
    });
    scores.push({ run: run.name, accuracy: correct / run.trials.length, correct, trials: run.trials.length });
  }
  return scores;
}

/** One run image as the model's input: decoded, turned to the model's stroke polarity, preprocessed per its manifest. */
export async function runImageInput(path: string, options: { ink: Ink; image: ImagePreprocessing & { ink?: Ink } }): Promise<Float32Array> {
  const modelInk = options.image.ink ?? fail('cli', `--runs: the model's twinembed.json does not say which strokes it takes: add "image": {"ink": "light"} (strokes lighter than the background, as MNIST) or "dark" (as Lake's runs)`);
  return preprocessImage(matchInk(await decodeImageFile(path), { ink: options.ink, modelInk }), options.image);
}

async function embedRunImages(o: RunsOptions, paths: string[], runtime: Runtime, io: CliIo): Promise<{ data: Float32Array; dim: number }> {
  const files = await loadModelDirectory(o.model);
  // A pair head was trained on the encoder's own output: unnormalized unless twinembed.json says otherwise.
  const embedder = await createEmbedder({ runtime, model: files, batchSize: o.batchSize, normalize: o.head ? files.manifest?.normalize ?? false : undefined });
  try {
    const { spec } = embedder;
    if (spec.modality !== 'image') fail('cli', `eval: expected an image model, got a text model ("${o.model}")`);
    if (spec.image.ink === undefined) fail('cli', `--runs: "${o.model}" does not say which strokes the model takes: add "image": {"ink": "light"} to its twinembed.json (strokes lighter than the background, as MNIST) or "dark" (as Lake's runs)`);
    const inputs: Float32Array[] = [];
    for (const path of paths) inputs.push(await runImageInput(path, { ink: o.runsInk, image: spec.image }));
    const progress = createProgress(io, 'embedding', paths.length, progressEnabled(o.json) && paths.length >= 256);
    const data = await embedder.embedMatrix(inputs, { onProgress: (done) => progress.update(done) });
    progress.done();
    return { data, dim: embedder.dim };
  } finally {
    await embedder.dispose();
  }
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
const count = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

export async function evalRuns(o: RunsOptions, io: CliIo): Promise<void> {
  const runs = await readLakeRuns(o.runs);
  const rows = imageRows(runs);
  const runtime = nodeRuntime();
  const embeddings = await embedRunImages(o, [...rows.keys()], runtime, io);
  const head = o.head ? await openPairHead(o.model, embeddings, runtime) : undefined;
  let scores: RunScore[];
  try {
    scores = await scoreRuns(runs, rows, head?.scorer ?? ((a, b) => pairSimilarities(embeddings, a, b, o.metric)));
  } finally {
    await head?.release();
  }
  const correct = scores.reduce((n, s) => n + s.correct, 0);
  const trials = scores.reduce((n, s) => n + s.trials, 0);
  const scorer = o.head ? 'head' : o.metric;
  if (o.json) {
    io.out(`${JSON.stringify({ accuracy: correct / trials, correct, trials, scorer, runs: scores })}\n`);
    return;
  }
  for (const s of scores) io.out(`${s.run}  ${percent(s.accuracy)}  (${count(s.correct)}/${s.trials})\n`);
  io.out(`one-shot runs: accuracy ${percent(correct / trials)} (${count(correct)}/${trials} trials, ${scores.length} run${scores.length === 1 ? '' : 's'}, ${scorer})\n`);
}
