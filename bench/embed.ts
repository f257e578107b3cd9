// Benchmark (not a test): sentences/s embedding the 3,000 STS-dev sentences with a MiniLM-L6-shaped
// encoder and the real all-MiniLM-L6-v2 tokenizer, for twinembed, transformers.js' feature-extraction
// pipeline on the same ONNX file, and bare onnxruntime-node loops (input order, and length-sorted: the floor).
// Variants are interleaved run by run and medians reported. Usage: see bench/README.md.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTensor, createTextTokenizer, encodeModel, loadEmbedder, nodeRuntime, type Session, type TextTokenizer } from '@twinembed/node';
import { buildBertEncoder } from './minilm-encoder.js';

const { values: args } = parseArgs({ options: {
  runs: { type: 'string', default: '7' }, threads: { type: 'string' }, batch: { type: 'string', default: '32' },
  shared: { type: 'string', default: resolve(import.meta.dirname, '..', '..', 'shared') }, sentences: { type: 'string' },
  transformers: { type: 'string', default: '@huggingface/transformers' },
} });
const runs = Number(args.runs), batch = Number(args.batch), threads = Number(args.threads ?? availableParallelism());
const tokenizerDir = join(args.shared, 'tokenizers', 'all-MiniLM-L6-v2');

function stsSentences(): string[] {
  const lines = readFileSync(join(args.shared, 'data', 'sts', 'sts-dev.csv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const all = lines.flatMap((l) => l.split('\t').slice(5, 7));
  return args.sentences ? all.slice(0, Number(args.sentences)) : all;
}

/** <root>/minilm/: model.onnx for twinembed, onnx/model.onnx + config.json for transformers.js, one tokenizer. */
function modelDir(): { root: string; dir: string } {
  const root = join(tmpdir(), 'twinembed-bench-minilm'), dir = join(root, 'minilm');
  if (!existsSync(join(dir, 'onnx', 'model.onnx'))) {
    mkdirSync(join(dir, 'onnx'), { recursive: true });
    writeFileSync(join(dir, 'onnx', 'model.onnx'), encodeModel(buildBertEncoder()));
    copyFileSync(join(dir, 'onnx', 'model.onnx'), join(dir, 'model.onnx'));
    for (const f of ['tokenizer.json', 'tokenizer_config.json', 'modules.json', 'sentence_bert_config.json', '1_Pooling_config.json']) copyFileSync(join(tokenizerDir, f), join(dir, f));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(tokenizerDir, 'config.json'), 'utf8')), model_type: 'bert' }));
  }
  return { root, dir };
}

type Embed = (texts: string[]) => Promise<unknown>;

/** The floor: the same tokenizer (@huggingface/tokenizers), one encoder session, mean pooling and normalization in JS. */
function bareLoop(session: Session, tokenizer: TextTokenizer, sorted: boolean): Embed {
  return async (texts) => {
    const encoded = texts.map((t) => tokenizer.encode(t));
    const order = encoded.map((_, i) => i);
    if (sorted) order.sort((a, b) => encoded[b]!.ids.length - encoded[a]!.ids.length);
    const out: Float32Array[] = new Array(texts.length);
    for (let s = 0; s < order.length; s += batch) {
      const rows = order.slice(s, s + batch).map((i) => encoded[i]!);
      const L = rows.reduce((m, r) => Math.max(m, r.ids.length), 0), n = rows.length;
      const ids = new BigInt64Array(n * L), mask = new BigInt64Array(n * L), types = new BigInt64Array(n * L);
      rows.forEach((r, k) => r.ids.forEach((id, j) => { ids[k * L + j] = BigInt(id); mask[k * L + j] = 1n; types[k * L + j] = BigInt(r.typeIds[j]!); }));
      const dims = [n, L];
      const hidden = (await session.run({ input_ids: createTensor('int64', ids, dims), attention_mask: createTensor('int64', mask, dims), token_type_ids: createTensor('int64', types, dims) })).last_hidden_state!;
      const H = hidden.dims[2]!, data = hidden.data as Float32Array;
      rows.forEach((r, k) => {
        const v = new Float32Array(H);
        for (let j = 0; j < r.ids.length; j++) for (let d = 0; d < H; d++) v[d]! += data[(k * L + j) * H + d]!;
        const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
        out[order[s + k]!] = v.map((x) => x / norm);
      });
    }
    return out;
  };
}

async function transformersJs(root: string): Promise<Embed> {
  const tjs = await import(args.transformers);
  tjs.env.allowRemoteModels = false;
  tjs.env.localModelPath = `${root}/`;
  const pipe = await tjs.pipeline('feature-extraction', 'minilm', { dtype: 'fp32', device: 'cpu', session_options: { intraOpNumThreads: threads } });
  return async (texts) => {
    for (let s = 0; s < texts.length; s += batch) await pipe(texts.slice(s, s + batch), { pooling: 'mean', normalize: true });
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const sentences = stsSentences();
  const { root, dir } = modelDir();
  const runtime = nodeRuntime({ intraOpNumThreads: threads });
  const tokenizer = createTextTokenizer({ json: JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')), maxLength: 256 });
  const session = await runtime.createSession(join(dir, 'model.onnx'));
  const embedder = await loadEmbedder(dir, { runtime, batchSize: batch });
  const variants: [string, Embed][] = [
    ['twinembed', (t) => embedder.embedMatrix(t)],
    ['bare loop', bareLoop(session, tokenizer, false)],
    ['bare loop, length-sorted (floor)', bareLoop(session, tokenizer, true)],
  ];
  try {
    variants.push(['transformers.js', await transformersJs(root)]);
  } catch (error) {
    console.log(`transformers.js skipped: ${(error as Error).message.split('\n')[0]} (see bench/README.md)`);
  }
  const times = new Map(variants.map(([name]) => [name, [] as number[]]));
  for (const [, embed] of variants) await embed(sentences.slice(0, 64)); // warm-up
  for (let r = 0; r < runs; r++) {
    for (const [name, embed] of r % 2 === 0 ? variants : [...variants].reverse()) {
      const start = performance.now();
      await embed(sentences);
      times.get(name)!.push(performance.now() - start);
    }
    console.log(`run ${r + 1}/${runs}: ${variants.map(([name]) => `${name} ${(sentences.length / (times.get(name)!.at(-1)! / 1000)).toFixed(0)}/s`).join(', ')}`);
  }
  const rate = (name: string) => sentences.length / (median(times.get(name)!) / 1000);
  console.log(`${sentences.length} sentences, batch ${batch}, ${threads} threads, ${runs} interleaved runs (medians)`);
  for (const [name] of variants) console.log(`${name.padEnd(34)} ${rate(name).toFixed(0).padStart(7)} sentences/s`);
  if (times.has('transformers.js')) console.log(`twinembed / transformers.js: ${(rate('twinembed') / rate('transformers.js')).toFixed(2)}× (target ≥ 1.8×)`);
  console.log(`twinembed / floor: ${(rate('twinembed') / rate('bare loop, length-sorted (floor)')).toFixed(2)}× (target ≥ 0.95×)`);
  await embedder.dispose();
  await session.release();
}

await main();
