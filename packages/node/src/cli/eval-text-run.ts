// Runs one text evaluator for the `eval sts | pairs | triplets | retrieval` commands: loads the
// model directory, embeds with a progress bar on stderr, and prints the metrics (a table, or --json).
import { createEmbedder, fail, type TextEvaluator, type TextMetrics } from '@twinembed/core';
import { loadModelDirectory } from '../embed/model-directory.js';
import { nodeRuntime } from '../node-runtime.js';
import type { CliIo } from './main.js';
import { createProgress, progressEnabled } from './progress.js';

export interface TextRunOptions {
  model: string;
  batchSize: number;
  json?: boolean;
}

/** What was evaluated, for the report: e.g. { data: path, format: 'sts' }. */
export type RunFacts = Record<string, string | number>;

async function evaluateWithModel(evaluator: TextEvaluator, o: TextRunOptions, io: CliIo): Promise<TextMetrics> {
  const embedder = await createEmbedder({ runtime: nodeRuntime(), model: await loadModelDirectory(o.model), batchSize: o.batchSize });
  try {
    if (embedder.spec.modality !== 'text') fail('cli', `eval ${evaluator.kind}: expected a text model, got an image model ("${o.model}")`);
    const progress = createProgress(io, 'embedding', evaluator.texts, progressEnabled(o.json) && evaluator.texts >= 256);
    const metrics = await evaluator.evaluate(embedder, { onProgress: (done) => progress.update(done) });
    progress.done();
    return metrics;
  } finally {
    await embedder.dispose();
  }
}

const UNITS: Record<TextEvaluator['kind'], string> = { sts: 'pairs', pairs: 'pairs', triplets: 'triplets', retrieval: 'queries' };

export async function runTextEvaluator(evaluator: TextEvaluator, o: TextRunOptions, io: CliIo, facts: RunFacts): Promise<void> {
  const metrics = await evaluateWithModel(evaluator, o, io);
  const { kind, primaryMetric, examples, texts } = evaluator;
  if (o.json) {
    // NaN (a correlation of constant scores, a threshold that does not exist) prints as null.
    io.out(`${JSON.stringify({ evaluator: kind, primaryMetric, metrics, examples, texts, model: o.model, ...facts })}\n`);
    return;
  }
  const about = Object.entries(facts).map(([key, value]) => `${key} ${typeof value === 'string' ? `"${value}"` : value}`).join(', ');
  const width = Object.keys(metrics).reduce((m, k) => Math.max(m, k.length), 0);
  const rows = Object.entries(metrics).map(([key, value]) => `  ${key.padEnd(width)}  ${Number.isNaN(value) ? 'n/a' : value.toFixed(4)}${key === primaryMetric ? '  (primary)' : ''}`);
  io.out(`eval ${kind}: ${examples.toLocaleString('en-US')} ${UNITS[kind]}, ${texts.toLocaleString('en-US')} texts embedded (${about})\n${rows.join('\n')}\n`);
}
