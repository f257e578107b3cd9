// Benchmark (not a test): embeddings/s and train steps/s of the default image model (models/omniglot)
// in Chromium — onnxruntime-web wasm with 1 and 2 threads, and WebGPU — next to onnxruntime-node CPU
// with 1 and 2 threads. Warm-up rounds, then medians of interleaved rounds. Usage: see bench/README.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTestPage, hasChromium, openTestPage, worstDifference, CHROMIUM, type TestBrowser } from '../test/support/browser.js';
import { browserVariant, pageFacts, serveModel, type PageFacts } from './browser-page.js';
import { EMBED_BATCH, LOSS, TRAIN_BATCH, nodeVariant, strokeImages, trainBatch, trainPixels, type Variant } from './browser-workload.js';

const { values: args } = parseArgs({ options: {
  rounds: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' },
  'embed-batches': { type: 'string', default: '6' }, 'train-steps': { type: 'string', default: '3' },
  'webgpu-rounds': { type: 'string', default: '2' }, skip: { type: 'string', default: '' },
} });
/** What --skip names: a comma-separated list of these. */
type Kind = 'node' | 'wasm' | 'webgpu';
const skip = new Set(args.skip.split(',').filter(Boolean));
function usage(message: string): never {
  console.error(`bench/browser.ts: ${message}`);
  process.exit(2);
}
for (const kind of skip) if (!['node', 'wasm', 'webgpu'].includes(kind)) usage(`--skip: expected node, wasm or webgpu (comma-separated), got "${kind}"`);
function count(option: 'rounds' | 'warmup' | 'embed-batches' | 'train-steps' | 'webgpu-rounds', least: number): number {
  const value = Number(args[option]);
  return Number.isInteger(value) && value >= least ? value : usage(`--${option}: expected an integer ≥ ${least}, got "${args[option]}"`);
}
const WARMUP = count('warmup', 0);
const REFERENCE = 'node cpu, 2 threads';

/** How much one variant does: measured rounds (after the warm-up), and embed batches and train steps per round. */
interface Work { rounds: number; embedBatches: number; trainSteps: number }
interface Measured { variant: Variant; work: Work; embedRates: number[]; stepRates: number[]; errors: string[] }

function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b), mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;
const cpuWork: Work = { rounds: count('rounds', 1), embedBatches: count('embed-batches', 1), trainSteps: count('train-steps', 1) };
// SwiftShader runs WebGPU on the CPU, far slower than wasm: one batch and one step a round.
const webgpuWork: Work = { rounds: count('webgpu-rounds', 1), embedBatches: 1, trainSteps: 1 };

async function startVariants(browser: TestBrowser | undefined): Promise<Measured[]> {
  const images = strokeImages(EMBED_BATCH, 1);
  const pixels = trainPixels();
  const started: Measured[] = [];
  const add = async (kind: Kind, name: string, start: () => Promise<Variant>) => {
    if (skip.has(kind)) return;
    const work = kind === 'webgpu' ? webgpuWork : cpuWork;
    try {
      started.push({ variant: await start(), work, embedRates: [], stepRates: [], errors: [] });
      console.log(`${name}: started (${elapsed()})`);
    } catch (error) {
      console.log(`${name}: could not start: ${(error as Error).message.split('\n')[0]}`);
    }
  };
  for (const threads of [1, 2]) await add('node', `node cpu, ${threads} thread${threads > 1 ? 's' : ''}`, () => nodeVariant(threads, images, trainBatch(pixels)));
  if (!browser) return started;
  const model = serveModel(browser);
  for (const threads of [1, 2]) {
    const name = `chromium wasm, ${threads} thread${threads > 1 ? 's' : ''}`;
    await add('wasm', name, () => browserVariant(browser, name, model, { executionProviders: ['wasm'], numThreads: threads }, images, pixels));
  }
  const name = 'chromium webgpu';
  await add('webgpu', name, () => browserVariant(browser, name, model, { executionProviders: ['webgpu', 'wasm'], numThreads: 1 }, images, pixels));
  return started;
}

/** One round of one variant: its embed batches, then its train steps; a failure is kept and that part skipped from then on. */
async function measureOnce(m: Measured, record: boolean): Promise<void> {
  const { variant, work } = m;
  const attempt = async (kind: string, run: () => Promise<number>, amount: number, rates: number[]) => {
    if (m.errors.some((e) => e.startsWith(kind))) return;
    try {
      const ms = await run();
      if (record) rates.push(amount / (ms / 1000));
    } catch (error) {
      m.errors.push(`${kind} failed: ${(error as Error).message.split('\n')[0]}`);
    }
  };
  await attempt('embed', () => variant.embed(work.embedBatches), work.embedBatches * EMBED_BATCH, m.embedRates);
  await attempt('train', () => variant.train(work.trainSteps), work.trainSteps, m.stepRates);
}

async function measureAll(measured: Measured[]): Promise<void> {
  const last = measured.reduce((m, x) => Math.max(m, x.work.rounds), 0);
  for (let round = 0; round < WARMUP + last; round++) {
    const active = measured.filter((m) => round < WARMUP + m.work.rounds);
    for (const m of round % 2 === 0 ? active : [...active].reverse()) await measureOnce(m, round >= WARMUP);
    const shown = active.map((m) => `${m.variant.name} ${m.embedRates.at(-1)?.toFixed(0) ?? '-'}/s ${m.stepRates.at(-1)?.toFixed(2) ?? '-'} steps/s`);
    console.log(`round ${round + 1}/${WARMUP + last}${round < WARMUP ? ' (warm-up)' : ''} (${elapsed()}): ${shown.join(' | ')}`);
  }
}

function report(measured: Measured[], facts: PageFacts | undefined): void {
  const reference = measured.find((m) => m.variant.name === REFERENCE);
  const ratio = (x: number | undefined, ref: number | undefined) => {
    if (x === undefined || ref === undefined) return '-';
    return `${x / ref >= 0.1 ? (x / ref).toFixed(2) : (x / ref).toPrecision(2)}×`;
  };
  const spread = (xs: number[], digits: number) => (xs.length === 0 ? '-' : `${median(xs)!.toFixed(digits)} (${xs.reduce((m, x) => Math.min(m, x)).toFixed(digits)}–${xs.reduce((m, x) => Math.max(m, x)).toFixed(digits)})`);
  console.log(`\n${EMBED_BATCH} images of 28×28 per embed call; train step: ${LOSS}, ${TRAIN_BATCH} anchors + ${TRAIN_BATCH} positives, AdamW. Median (min–max) of the measured rounds; × ref: ratio to ${REFERENCE}.`);
  console.log(`| variant | ran on | embeddings/s | × ref | train steps/s | × ref | rounds | max abs diff of embeddings vs ${REFERENCE} |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const m of measured) {
    const diff = reference ? worstDifference(m.variant.rows, reference.variant.rows).toExponential(1) : '-';
    console.log(`| ${m.variant.name} | ${m.variant.executionProvider} | ${spread(m.embedRates, 0)} | ${ratio(median(m.embedRates), reference && median(reference.embedRates))} | ${spread(m.stepRates, 2)} | ${ratio(median(m.stepRates), reference && median(reference.stepRates))} | ${m.embedRates.length} | ${diff} |`);
  }
  for (const m of measured) {
    for (const line of [...m.variant.notes, ...m.variant.fallbacks.map((f) => `fell back from ${f}`), ...m.errors]) console.log(`${m.variant.name}: ${line}`);
  }
  if (facts) {
    const adapter = facts.adapter;
    const software = adapter && /swiftshader/i.test(`${adapter.architecture} ${adapter.description}`) ? 'a SOFTWARE device (SwiftShader Vulkan on the CPU), not a GPU' : 'check whether it is a real GPU';
    console.log(`Chromium: ${facts.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? facts.userAgent}, crossOriginIsolated ${facts.crossOriginIsolated}, hardwareConcurrency ${facts.hardwareConcurrency}`);
    console.log(adapter ? `WebGPU adapter: ${adapter.vendor} / ${adapter.architecture} ${adapter.description} (fallback adapter: ${adapter.isFallbackAdapter}): ${software}` : 'WebGPU: no adapter');
  }
  console.log('Wall-clock figures on a shared machine: other work running at the same time moves them by tens of percent between runs.');
}

async function main(): Promise<void> {
  let browser: TestBrowser | undefined;
  const pageDir = mkdtempSync(join(tmpdir(), 'twinembed-bench-page-'));
  try {
    if (!hasChromium) console.log(`${CHROMIUM} is absent (apt-get install chromium libvulkan1): Node figures only`);
    else if (!(skip.has('wasm') && skip.has('webgpu'))) {
      await buildTestPage(pageDir);
      browser = await openTestPage(pageDir);
      console.log(`test page built and Chromium open (${elapsed()})`);
    }
    const facts = browser && await pageFacts(browser);
    const measured = await startVariants(browser);
    await measureAll(measured);
    report(measured, facts);
    for (const m of measured) await m.variant.close();
  } finally {
    await browser?.close();
    rmSync(pageDir, { recursive: true, force: true });
  }
  console.log(`total ${elapsed()}`);
}

await main();
