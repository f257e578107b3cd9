// `twinembed eval oneshot | verification`: an image model directory + an image folder (one folder
// per class) → N-way K-shot accuracy with its 95% interval, or verification ROC-AUC and accuracy.
// Every image is embedded once; episodes and pairs are then scored on the embeddings or a pair head.
// `eval oneshot --runs` (Lake's one-shot runs) lives in eval-runs.ts.
import { type Command, Option } from 'commander';
import {
  createEmbedder, episodePool, EVAL_METRICS, fail, oneShotEpisodes, pairSimilarities, scoreEpisodes,
  scoreEpisodesByPairs, verificationMetrics, verificationPairs, type EvalMetric, type PairScorer,
} from '@twinembed/core';
import { loadImageFolder, type ImageFolder } from '../data/image-folder.js';
import { loadModelDirectory } from '../embed/model-directory.js';
import { nodeRuntime } from '../node-runtime.js';
import { nonNegativeInteger, positiveInteger } from './option-values.js';
import { MODEL_RULE, modelOption, resolveModelOption } from './model-option.js';
import type { CliIo } from './main.js';
import { registerTextEval } from './eval-text-command.js';
import { addRunsOptions, evalRuns, type RunsOptions } from './eval-runs.js';
import { HEAD_FILE, openPairHead } from './pair-head.js';
import { createProgress, progressEnabled, type Progress } from './progress.js';

export { HEAD_FILE };

interface CommonOptions {
  model: string; data: string; seed: number; metric: EvalMetric; head?: boolean;
  sizeMismatch: 'refuse' | 'resize'; strict?: boolean; batchSize: number; json?: boolean;
}
interface OneShotOptions extends CommonOptions, Partial<Pick<RunsOptions, 'runs' | 'runsInk'>> { ways: number; shots: number; episodes: number; withinAlphabet?: boolean }
interface VerificationOptions extends CommonOptions { pairs: number }

function withCommonOptions(command: Command, dataRequired = true): Command {
  return command
    .addOption(modelOption({ description: 'an image model (model.onnx, optional twinembed.json and head.onnx)', required: true }))
    .addOption(new Option('--data <dir>', 'an image folder: one folder of PNG/JPEG files per class, nested folders allowed').makeOptionMandatory(dataRequired))
    .option('--seed <n>', 'seed of the episodes or pairs', nonNegativeInteger, 0)
    .addOption(new Option('--metric <metric>', 'similarity of embeddings').choices(EVAL_METRICS).default('euclidean'))
    .option('--head', `score pairs with the model directory's ${HEAD_FILE} (a Koch pair head) instead of --metric`)
    .addOption(new Option('--size-mismatch <mode>', 'images of another size than the first: refuse, or resize').choices(['refuse', 'resize']).default('refuse'))
    .option('--strict', 'refuse empty class folders and files that are not images (default: skip them with a note)')
    .option('--batch-size <n>', 'images per session run', positiveInteger, 256)
    .option('--json', 'print the result as JSON')
    .addHelpText('after', MODEL_RULE);
}

export function registerEval(program: Command, io: CliIo): void {
  const command = program.command('eval').description('evaluate an image embedding model on an image folder');
  addRunsOptions(withCommonOptions(command.command('oneshot').description('N-way K-shot accuracy: each query goes to the nearest class prototype; or Lake\'s one-shot runs (--runs)'), false))
    .option('--ways <n>', 'classes per episode', positiveInteger, 20)
    .option('--shots <n>', 'support images per class', positiveInteger, 1)
    .option('--episodes <n>', 'episodes', positiveInteger, 400)
    .option('--within-alphabet', 'draw each episode\'s classes from one group (the folder above the class folders), as Lake et al.')
    .action((options: OneShotOptions) => oneShot(resolveModelOption(options), io));
  withCommonOptions(command.command('verification').description('same-or-different pairs: ROC-AUC and best-threshold accuracy'))
    .option('--pairs <n>', 'pairs, half same-class and half different-class', positiveInteger, 2000)
    .action((options: VerificationOptions) => verification(resolveModelOption(options), io));
  registerTextEval(command, io);
}

interface Embedded {
  folder: ImageFolder;
  embeddings: { data: Float32Array; dim: number };
  /** Set with --head: scores pairs of example indices. */
  headScorer?: PairScorer;
  notes: string[];
  release(): Promise<void>;
}

async function embedFolder(o: CommonOptions, io: CliIo): Promise<Embedded> {
  const runtime = nodeRuntime();
  const files = await loadModelDirectory(o.model);
  // A pair head was trained on the encoder's own output: unnormalized unless twinembed.json says otherwise.
  const embedder = await createEmbedder({ runtime, model: files, batchSize: o.batchSize, normalize: o.head ? files.manifest?.normalize ?? false : undefined });
  let folder: ImageFolder;
  let data: Float32Array;
  try {
    if (embedder.spec.modality !== 'image') fail('cli', `eval: expected an image model, got a text model ("${o.model}")`);
    const show = progressEnabled(o.json);
    let loading: Progress | undefined;
    folder = await loadImageFolder(o.data, {
      ...embedder.spec.image, sizeMismatch: o.sizeMismatch, emptyClasses: o.strict ? 'refuse' : 'skip', nonImages: o.strict ? 'refuse' : 'skip',
      onProgress: (done, total) => (loading ??= createProgress(io, 'loading', total, show && total >= 256)).update(done),
    });
    loading?.done();
    const embedding = createProgress(io, 'embedding', folder.count, show && folder.count >= 256);
    const inputs = Array.from({ length: folder.count }, (_, i) => folder.images.subarray(i * folder.imageSize, (i + 1) * folder.imageSize));
    data = await embedder.embedMatrix(inputs, { onProgress: (done) => embedding.update(done) });
    embedding.done();
  } finally {
    await embedder.dispose();
  }
  const embeddings = { data, dim: embedder.dim };
  const head = o.head ? await openPairHead(o.model, embeddings, runtime) : undefined;
  return { folder, embeddings, headScorer: head?.scorer, notes: folder.warnings.map((w) => `[twinembed:data] ${w}`), release: async () => head?.release() };
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

async function oneShot(o: OneShotOptions, io: CliIo): Promise<void> {
  if (o.runs !== undefined) return evalRuns({ ...o, runs: o.runs, runsInk: o.runsInk ?? 'dark' }, io);
  if (o.runsInk !== undefined) fail('cli', 'eval oneshot: --runs-ink applies to --runs only');
  if (o.data === undefined) fail('cli', 'eval oneshot: expected --data <dir> (an image folder of classes) or --runs <dir> (Lake\'s one-shot runs), got neither');
  const run = await embedFolder(o, io);
  try {
    const { folder } = run;
    const withinGroup = o.withinAlphabet === true;
    const request = { labels: folder.labels, groups: folder.groups, ways: o.ways, shots: o.shots, withinGroup };
    const episodes = oneShotEpisodes({ ...request, episodes: o.episodes, seed: o.seed });
    const pool = episodePool(request);
    const scores = run.headScorer ? await scoreEpisodesByPairs(episodes, run.headScorer) : scoreEpisodes(episodes, run.embeddings, { metric: o.metric });
    const notes = [...run.notes, ...poolNotes(pool, folder, o)];
    for (const note of notes) io.err(`${note}\n`);
    const scorer = o.head ? 'head' : o.metric;
    const classes = pool.groups.reduce((n, g) => n + g.classes.length, 0);
    const summary = { accuracy: scores.accuracy, ci95: scores.ci95, ways: o.ways, shots: o.shots, episodes: o.episodes, withinAlphabet: withinGroup, scorer, seed: o.seed, images: folder.count, classes };
    io.out(o.json
      ? `${JSON.stringify(summary)}\n`
      : `${o.ways}-way ${o.shots}-shot accuracy ${percent(scores.accuracy)} ± ${percent(scores.ci95)} (95% interval, ${o.episodes} episodes${withinGroup ? ' within alphabets' : ''}, ${scorer}; ${classes} classes)\n`);
  } finally {
    await run.release();
  }
}

function poolNotes(pool: ReturnType<typeof episodePool>, folder: ImageFolder, o: OneShotOptions): string[] {
  const notes: string[] = [];
  if (pool.smallClasses.length > 0) {
    notes.push(`[twinembed:eval] left out ${pool.smallClasses.length} of ${folder.classNames.length} classes with fewer than ${o.shots + 1} images (shots + 1): ${pool.smallClasses.slice(0, 5).map((c) => `"${folder.classNames[c]}"`).join(', ')}${pool.smallClasses.length > 5 ? ', …' : ''}`);
  }
  if (pool.smallGroups.length > 0) {
    notes.push(`[twinembed:eval] left out ${pool.smallGroups.length} of ${folder.groupNames.length} alphabets with fewer than ${o.ways} usable classes: ${pool.smallGroups.slice(0, 5).map((g) => `"${folder.groupNames[g.group]}" (${g.classes})`).join(', ')}${pool.smallGroups.length > 5 ? ', …' : ''}`);
  }
  return notes;
}

async function verification(o: VerificationOptions, io: CliIo): Promise<void> {
  const run = await embedFolder(o, io);
  try {
    const { folder } = run;
    const pairs = verificationPairs({ labels: folder.labels, pairs: o.pairs, seed: o.seed });
    const scores = run.headScorer ? await run.headScorer(pairs.first, pairs.second) : pairSimilarities(run.embeddings, pairs.first, pairs.second, o.metric);
    const metrics = verificationMetrics(scores, pairs.same);
    for (const note of run.notes) io.err(`${note}\n`);
    // Euclidean scores are −distance: the threshold is reported as a distance.
    const euclidean = !o.head && o.metric === 'euclidean';
    const threshold = euclidean ? -metrics.threshold : metrics.threshold;
    const rule = euclidean ? 'same when distance ≤ threshold' : `same when ${o.head ? 'head score' : 'cosine'} ≥ threshold`;
    const summary = { rocAuc: metrics.rocAuc, accuracy: metrics.accuracy, threshold, rule, pairs: o.pairs, scorer: o.head ? 'head' : o.metric, seed: o.seed, images: folder.count, classes: folder.classNames.length };
    io.out(o.json
      ? `${JSON.stringify(summary)}\n`
      : `verification ROC-AUC ${metrics.rocAuc.toFixed(4)}, best-threshold accuracy ${percent(metrics.accuracy)} (${rule.replace('threshold', threshold.toPrecision(4))}; ${o.pairs} pairs, ${summary.scorer})\n`);
  } finally {
    await run.release();
  }
}
