import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeModel, encodeModel, GraphBuilder, makeTensorProto, readSafetensors, tensorDims, tensorValues } from '@twinembed/core';
import { hasShared, sharedPath } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { loadEmbedder } from '../embed/load-embedder.js';
import { loadCheckpoint } from '../train/checkpoint-file.js';
import { OUTPUT_MARKER } from '../output-path.js';
import { CHECKPOINT_FILE, REPORT_FILE } from './finetune-command.js';
import { cli } from '../../../../test/support/run-cli.js';

const newDir = tempDirs('finetune-cli');
const fixture = (f: string) => sharedPath('fixtures', 'bert-tiny-a', f);
const json = (f: string) => JSON.parse(readFileSync(fixture(f), 'utf8'));

/** The fixture BERT as a model directory: the dynamo export, its tokenizer under hf/, mean pooling, no normalization. */
function modelDir(onnx?: Uint8Array): string {
  const dir = newDir();
  mkdirSync(join(dir, 'hf'));
  if (onnx) writeFileSync(join(dir, 'model.onnx'), onnx);
  else copyFileSync(fixture('model.dynamo.onnx'), join(dir, 'model.onnx'));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(fixture(`hf/${f}`), join(dir, 'hf', f));
  writeFileSync(join(dir, 'twinembed.json'), JSON.stringify({ tokenizer: 'hf', pooling: 'mean', normalize: false }));
  return dir;
}

function jsonl(dir: string, rows: object[]): string {
  writeFileSync(join(dir, 'train.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return join(dir, 'train.jsonl');
}

const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe.skipIf(!hasShared)('twinembed finetune = one sentence-transformers SGD step (bert-tiny-a)', () => {
  const batches = hasShared ? json('batches.json') : undefined;
  const cases: [string, () => object[]][] = [
    ['CosineSimilarityLoss', () => batches.pairs.a.map((a: string, i: number) => ({ sentence1: a, sentence2: batches.pairs.b[i], score: batches.pairs.score[i] }))],
    ['TripletLoss', () => batches.triplets.anchor.map((anchor: string, i: number) => ({ anchor, positive: batches.triplets.positive[i], negative: batches.triplets.negative[i] }))],
  ];

  test('sentence-transformers prompts and the Pooling config go with the tuned model', async () => {
    const model = modelDir();
    const config = { prompts: { query: 'query: ', document: '' }, default_prompt_name: null };
    writeFileSync(join(model, 'config_sentence_transformers.json'), JSON.stringify(config));
    const rows = [{ anchor: 'a cat sits', positive: 'a cat is sitting', negative: 'stocks fell' }];
    const out = join(model, 'tuned');
    const run = await cli('finetune', '--model', model, '--data', jsonl(model, rows), '--loss', 'TripletLoss', '--optimizer', 'sgd', '--steps', '1', '--out', out);
    expect([run.code, run.err]).toEqual([0, '']);
    expect(JSON.parse(readFileSync(join(out, 'config_sentence_transformers.json'), 'utf8'))).toEqual(config);
    const embedder = await loadEmbedder(out);
    const [prompted] = await embedder.embed(['a cat'], { promptName: 'query' });
    const [prefixed] = await embedder.embed(['query: a cat']);
    expect(Array.from(prompted!)).toEqual(Array.from(prefixed!));
    await embedder.dispose();
  });

  test.each(cases)('%s: the output directory embeds as after_sgd', async (loss, rows) => {
    const model = modelDir();
    const data = jsonl(model, rows());
    const out = join(model, 'tuned');
    const argv = ['finetune', '--model', model, '--data', data, '--loss', loss, '--optimizer', 'sgd', '--lr', '0.1', '--batch-size', String(rows().length), '--steps', '1', '--no-shuffle', '--out', out, '--json'];
    const { code, out: stdout, err } = await cli(...argv);
    expect([code, err]).toEqual([0, '']);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ step: 1, lr: 0.1 });
    expect(Math.abs(lines[0].loss - json('losses.json')[loss].loss)).toBeLessThan(1e-4 * json('losses.json')[loss].loss);
    expect(lines[1]).toMatchObject({ out, steps: 1 });
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'model.onnx', 'tokenizer.json', 'tokenizer_config.json', REPORT_FILE, 'twinembed.json'].sort());
    expect(JSON.parse(readFileSync(join(out, REPORT_FILE), 'utf8'))).toMatchObject({ loss, steps: 1, rows: rows().length, optimizer: { name: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0 }, losses: [lines[0].loss] });

    const sentences: string[] = json('sentences.json').sentences;
    const expected = readSafetensors(readFileSync(fixture(`after_sgd.${loss}.safetensors`))).get('embeddings_mean')!.data as Float32Array;
    const embed = async (dir: string) => {
      const embedder = await loadEmbedder(dir);
      const matrix = await embedder.embedMatrix(sentences);
      await embedder.dispose();
      return matrix;
    };
    const [after, before] = [await embed(out), await embed(model)];
    if (process.env.TWINEMBED_REPORT) console.log(`finetune ${loss}: max abs ${maxAbs(after, expected).toExponential(2)}, step moved ${maxAbs(before, expected).toExponential(2)}`);
    expect(maxAbs(after, expected)).toBeLessThan(1e-4);
    expect(maxAbs(before, expected)).toBeGreaterThan(1e-3); // the step itself is far above the tolerance
  });
});

/** A text model whose graph has no float tensor at all: input ids → float → [batch, sequence, 1]. */
function noParameterModel(): Uint8Array {
  const b = new GraphBuilder({ name: 'frozen' });
  const ids = b.input('input_ids', 'int64', ['batch', 'sequence']);
  b.input('attention_mask', 'int64', ['batch', 'sequence']);
  b.output(b.op.Unsqueeze(b.op.Cast(ids, { to: 'float32' }), { axes: [-1] }), 'last_hidden_state');
  return encodeModel(b.toModel());
}

describe.skipIf(!hasShared)('twinembed finetune on bad input: one line, exit code 2, --out untouched', () => {
  const model = hasShared ? modelDir() : '';
  const triplets = [{ anchor: 'a cat', positive: 'a kitten', negative: 'a car' }, { anchor: 'a dog', positive: 'a puppy', negative: 'a bus' }];
  const write = (name: string, text: string) => {
    writeFileSync(join(model, name), text);
    return join(model, name);
  };
  const base = (data: string, loss = 'TripletLoss', dir = model) => ['--model', dir, '--data', data, '--loss', loss, '--optimizer', 'sgd', '--steps', '1'];
  const noParams = () => modelDir(noParameterModel());
  const good = () => write('good.jsonl', triplets.map((t) => JSON.stringify(t)).join('\n'));
  const cases: [string, () => string[], RegExp][] = [
    ['a line that is not JSON', () => base(write('bad.jsonl', `${JSON.stringify(triplets[0])}\n{"anchor": "x",\n`)), /^\[twinembed:io\] cannot parse ".*bad.jsonl" line 2: expected one JSON value per line/],
    ['a row without a column', () => base(write('missing.jsonl', `${JSON.stringify(triplets[0])}\n\n{"anchor": "x", "positive": "y"}\n`)), /invalid row in ".*missing.jsonl" line 3: expected a non-empty "negative" string, got undefined/],
    ['a pair label that is not a number', () => base(write('label.jsonl', '{"sentence1": "a", "sentence2": "b", "label": "yes"}\n'), 'ContrastiveLoss'), /line 1: expected "label" to be a finite number, got "yes"/],
    ['a class label that is not an integer', () => base(write('class.jsonl', '{"text": "a", "label": 1.5}\n'), 'BatchHardTripletLoss'), /line 1: expected "label" to be an integer class, got 1.5/],
    ['an unknown loss', () => base(good(), 'TripletLosss'), /^\[twinembed:losses\] unknown loss "TripletLosss": expected one of ContrastiveLoss, .*TripletLoss, .*MultipleNegativesRankingLoss/],
    ['a model with no trainable parameters', () => base(good(), 'TripletLoss', noParams()), /^\[twinembed:train\] train step: expected at least one trainable parameter, got none/],
    ['neither --steps nor --epochs', () => base(good()).slice(0, -2), /expected exactly one of --steps N or --epochs E, got neither/],
    ['--momentum with AdamW', () => [...base(good()).map((a) => (a === 'sgd' ? 'adamw' : a)), '--momentum', '0.9'], /--momentum is an SGD option, got --optimizer adamw/],
    ['--checkpoint-dir without --checkpoint-every', () => [...base(good()), '--checkpoint-dir', join(model, 'ckpt')], /^\[twinembed:cli\] finetune: --checkpoint-dir needs --checkpoint-every N, got none\n$/],
    ['a --resume file that is not safetensors', () => [...base(good()), '--resume', write('bad.safetensors', 'not a checkpoint')], /^\[twinembed:safetensors\] checkpoint ".*bad.safetensors": header of \d+ bytes does not fit in a 16-byte file\n$/],
  ];

  test.each(cases)('%s', async (_, args, message) => {
    const out = join(newDir(), 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'kept.txt'), 'previous');
    // --overwrite lets a run replace this folder twinembed did not write: a failed run still leaves it as it was
    const { code, out: stdout, err } = await cli('finetune', ...args(), '--out', out, '--overwrite');
    expect([code, stdout]).toEqual([2, '']);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(out)).toEqual(['kept.txt']);
    expect(readdirSync(join(out, '..'))).toEqual(['out']);
  });

  test('a missing --out parent', async () => {
    const out = join(newDir(), 'no', 'such', 'out');
    const { code, out: stdout, err } = await cli('finetune', ...base(good()), '--out', out);
    expect([code, stdout]).toEqual([2, '']);
    expect(err).toMatch(/^\[twinembed:io\] cannot write the model into ".*out": expected its parent folder ".*such" to exist, got nothing\n$/);
    expect(existsSync(join(out, '..'))).toBe(false);
  });
});

/** The fixture BERT with one parameter value changed: the same names and shapes, another model. */
function perturbedModel(): Uint8Array {
  const model = decodeModel(readFileSync(fixture('model.dynamo.onnx')));
  const initializers = model.graph!.initializer!;
  const i = initializers.findIndex((t) => t.name === 'embeddings.word_embeddings.weight');
  const values = Float32Array.from(tensorValues(initializers[i]!) as Float32Array);
  values[0]! += 0.5;
  initializers[i] = makeTensorProto(initializers[i]!.name!, 'float32', tensorDims(initializers[i]!), values);
  return encodeModel(model);
}

/** Every float initializer of an exported model, by name, as bytes. */
function initializers(dir: string): Map<string, Buffer> {
  const graph = decodeModel(readFileSync(join(dir, 'model.onnx'))).graph!;
  return new Map(graph.initializer!.filter((t) => t.dataType === 1).map((t) => {
    const values = tensorValues(t) as Float32Array;
    return [t.name!, Buffer.from(values.buffer, values.byteOffset, values.byteLength)];
  }));
}

describe.skipIf(!hasShared)('twinembed finetune --checkpoint-every / --resume (bert-tiny-a, AdamW, shuffled)', () => {
  const model = hasShared ? modelDir() : '';
  const batches = hasShared ? json('batches.json') : undefined;
  // 8 triplets in batches of 3: epochs of 3 steps (3, 3, 2 rows), so a resume at step 4 starts the second epoch's second batch
  const data = hasShared ? jsonl(model, batches.triplets.anchor.map((anchor: string, i: number) => ({ anchor, positive: batches.triplets.positive[i], negative: batches.triplets.negative[i] }))) : '';
  const args = (loss = 'TripletLoss', dir = model, rows = data) => ['finetune', '--model', dir, '--data', rows, '--loss', loss, '--optimizer', 'adamw', '--lr', '0.01', '--batch-size', '3', '--seed', '7', '--json'];
  const stepLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => 'step' in l);

  test('6 steps = 4 steps, checkpoint, resume for 2: same losses and bit-identical parameters', async () => {
    const dir = newDir();
    const straight = await cli(...args(), '--steps', '6', '--out', join(dir, 'straight'));
    expect([straight.code, straight.err]).toEqual([0, '']);
    const first = await cli(...args(), '--steps', '4', '--checkpoint-every', '2', '--out', join(dir, 'first'));
    expect([first.code, first.err]).toEqual([0, '']);
    const checkpoint = join(dir, 'first.checkpoints', CHECKPOINT_FILE);
    expect(readdirSync(join(dir, 'first.checkpoints'))).toEqual([CHECKPOINT_FILE]);
    expect((await loadCheckpoint(checkpoint)).checkpoint.step).toBe(4);
    const resumed = await cli(...args(), '--steps', '6', '--resume', checkpoint, '--out', join(dir, 'resumed'));
    expect([resumed.code, resumed.err]).toEqual([0, '']);

    const [all, before, after] = [stepLines(straight.out), stepLines(first.out), stepLines(resumed.out)];
    expect(after.map((l) => l.step)).toEqual([5, 6]);
    expect([...before, ...after].map((l) => l.loss)).toEqual(all.map((l) => l.loss));
    expect(JSON.parse(resumed.out.trim().split('\n').at(-1)!)).toMatchObject({ steps: 2, resumedFrom: 4 });
    expect(JSON.parse(readFileSync(join(dir, 'resumed', REPORT_FILE), 'utf8'))).toMatchObject({ steps: 2, resumed: { checkpoint, step: 4 }, losses: after.map((l) => l.loss) });

    const [expected, got, stopped, initial] = [initializers(join(dir, 'straight')), initializers(join(dir, 'resumed')), initializers(join(dir, 'first')), initializers(model)];
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    const differing = [...expected].filter(([name, bytes]) => !bytes.equals(got.get(name)!)).map(([name]) => name);
    expect(differing).toEqual([]);
    // steps 5 and 6 moved every trained parameter (the rest are the export's float constants), so a resume that skipped or repeated steps would show
    const trained = [...expected].filter(([name, bytes]) => !bytes.equals(initial.get(name)!));
    expect(trained.length).toBeGreaterThan(expected.size / 2);
    expect(trained.filter(([name, bytes]) => bytes.equals(stopped.get(name)!)).map(([name]) => name)).toEqual([]);
  });

  describe('a checkpoint of another run is refused in one line, before training', () => {
    let checkpoint = '';
    const refused = async (argv: string[], message: RegExp) => {
      if (!checkpoint) {
        const dir = newDir();
        const made = await cli(...args(), '--steps', '2', '--checkpoint-every', '2', '--checkpoint-dir', join(dir, 'saved'), '--out', join(dir, 'out'));
        expect([made.code, made.err]).toEqual([0, '']);
        checkpoint = join(dir, 'saved', CHECKPOINT_FILE);
      }
      const out = join(newDir(), 'out');
      const { code, out: stdout, err } = await cli(...argv, '--resume', checkpoint, '--out', out);
      expect([code, stdout]).toEqual([2, '']);
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    };

    const pairs = () => jsonl(newDir(), batches.triplets.anchor.map((anchor: string, i: number) => ({ anchor, positive: batches.triplets.positive[i] })));
    test('another loss', () => refused([...args('MultipleNegativesRankingLoss', model, pairs()), '--steps', '4'],
      /^\[twinembed:checkpoint\] ".*checkpoint\.safetensors" was written for another run: loss expected "MultipleNegativesRankingLoss", got "TripletLoss"\n$/));
    test('another model of the same shapes', () => refused([...args('TripletLoss', modelDir(perturbedModel())), '--steps', '4'],
      /^\[twinembed:checkpoint\] ".*checkpoint\.safetensors" was written for another run: model expected "[0-9a-f]{8}", got "[0-9a-f]{8}"\n$/));
    test('another optimizer and seed', () => refused([...args().map((a) => (a === 'adamw' ? 'sgd' : a === '7' ? '8' : a)), '--steps', '4'],
      /was written for another run: trainStep expected "[0-9a-f]{16}", got "[0-9a-f]{16}"; optimizer expected "sgd", got "adamw"; seed expected "8", got "7"\n$/));
    test('a run that is already as long as the checkpoint', () => refused([...args(), '--steps', '2'],
      /^\[twinembed:cli\] finetune: --resume ".*checkpoint\.safetensors" is at step 2, expected fewer than the run's 2 steps\n$/));
  });
});
