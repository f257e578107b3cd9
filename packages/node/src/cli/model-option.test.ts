// Every command that takes a model resolves default names the same way (cli/model-option.ts) and
// says the rule in its --help; `embed` with no --model uses the default text model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterEach, describe, expect, test } from 'vitest';
import { GraphBuilder, encodeModel } from '@twinembed/core';
import { cli } from '../../../../test/support/run-cli.js';
import { REPO_ROOT } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { encodePng } from '../data/encode-png.js';
import { createProgram } from './main.js';
import { MODEL_RULE } from './model-option.js';

const newDir = tempDirs('model-option');
const repoModel = (name: string) => join(REPO_ROOT, 'models', name);
const cwd = process.cwd();
afterEach(() => process.chdir(cwd));

/** Command paths (e.g. ['eval', 'oneshot']) of every command with a --model option or a <model> argument. */
function modelCommands(command: Command, path: string[] = []): { path: string[]; flags?: string }[] {
  const own = command.options.find((o) => o.long === '--model');
  const takesModel = own !== undefined || command.registeredArguments.some((a) => a.name() === 'model');
  const here = takesModel ? [{ path, flags: own?.flags }] : [];
  return [...here, ...command.commands.flatMap((c) => modelCommands(c, [...path, c.name()]))];
}

/** A 28×28 gray drawing: a bar `x` pixels from the left, `width` wide. */
function drawing(x: number, width: number): Uint8Array {
  return encodePng({ width: 28, height: 28, channels: 1, data: new Uint8Array(28 * 28).map((_, i) => ((i % 28) >= x && (i % 28) < x + width ? 255 : 0)) });
}

function imageFolder(): string {
  const root = newDir();
  for (const [c, x] of [[0, 4], [1, 12], [2, 20]] as const) {
    mkdirSync(join(root, `class${c}`));
    for (const width of [2, 3]) writeFileSync(join(root, `class${c}`, `${width}.png`), drawing(x, width));
  }
  return root;
}

describe('--model names a default model', () => {
  test('every command that takes a model takes a path or a name and says the rule in --help', async () => {
    const found = modelCommands(createProgram({ out: () => {}, err: () => {} }));
    expect(found.map((c) => c.path.join(' '))).toEqual(expect.arrayContaining(['info', 'index build', 'search', 'embed', 'export', 'finetune', 'eval oneshot', 'eval verification']));
    for (const { path, flags } of found) {
      if (flags !== undefined) expect(flags, path.join(' ')).toBe('--model <dir|name>');
      const { code, out } = await cli(...path, '--help');
      expect([code, out.includes(MODEL_RULE)], path.join(' ')).toEqual([0, true]);
    }
  });

  test('embed, info, export and eval resolve "omniglot" to models/omniglot', async () => {
    const image = join(newDir(), 'bar.png');
    writeFileSync(image, drawing(10, 4));
    const data = imageFolder();
    const runs = (model: string) => [
      ['embed', '--model', model, '--images', image, '--json'],
      ['info', model, '--json'],
      ['eval', 'oneshot', '--model', model, '--data', data, '--ways', '3', '--episodes', '10', '--json'],
      ['eval', 'verification', '--model', model, '--data', data, '--pairs', '10', '--json'],
    ];
    const [byName, byPath] = [runs('omniglot'), runs(repoModel('omniglot'))];
    for (const [i, args] of byName.entries()) {
      const [a, b] = [await cli(...args), await cli(...byPath[i]!)];
      expect([a.code, a.err], args.join(' ')).toEqual([0, '']);
      expect(a.out, args.join(' ')).toBe(b.out);
    }
    // the width the model's own file declares (the shipped image model is retrained from time to time)
    const declared = JSON.parse((await cli('info', repoModel('omniglot'), '--json')).out).outputs[0].shape[1];
    expect(JSON.parse((await cli('embed', '--model', 'omniglot', '--images', image, '--json')).out).dim).toBe(declared);
    const out = join(newDir(), 'fused.onnx');
    expect((await cli('export', '--model', 'omniglot', '--out', out)).code).toBe(0);
    const shapes = async (model: string) => JSON.parse((await cli('info', model, '--json')).out).outputs.map((o: { shape: unknown }) => o.shape);
    expect(await shapes(out)).toEqual(await shapes('omniglot'));
  });

  test('finetune reaches the named model (and refuses it as an image model)', async () => {
    const rows = join(newDir(), 'rows.jsonl');
    writeFileSync(rows, '{"anchor":"a","positive":"b","negative":"c"}\n');
    const { code, err } = await cli('finetune', '--model', 'omniglot', '--data', rows, '--loss', 'TripletLoss', '--optimizer', 'adamw', '--steps', '1', '--out', join(newDir(), 'out'));
    expect([code, err.trim()]).toEqual([2, `[twinembed:cli] finetune: expected a text model, got an image model in "${repoModel('omniglot')}"`]);
  });

  test('a folder of that name in the working directory wins', async () => {
    const dir = newDir();
    mkdirSync(join(dir, 'omniglot'));
    const b = new GraphBuilder();
    b.output(b.op.Flatten(b.input('pixels', 'float32', ['batch', 1, 4, 4]), { axis: 1 }), 'embedding');
    writeFileSync(join(dir, 'omniglot', 'model.onnx'), encodeModel(b.toModel()));
    process.chdir(dir);
    const { code, out } = await cli('info', 'omniglot', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out).outputs[0].shape).toEqual(['batch', 16]);
  });

  test('an unknown name is one line listing the default names, exit 2', async () => {
    process.chdir(newDir());
    const { code, out, err } = await cli('embed', '--model', 'omniglott', '--text', 'hi');
    expect([code, out]).toEqual([2, '']);
    expect(err).toBe('[twinembed:model] model "omniglott": expected a model folder, an .onnx file or a default model name (text, text-sts, omniglot), got no such file or folder here\n');
  });

  test('embed --text with no --model uses the default text model', async () => {
    const texts = ['The soup needs more salt.', 'It will rain tomorrow.'];
    const [implicit, named, byPath] = [await cli('embed', '--text', ...texts), await cli('embed', '--model', 'text', '--text', ...texts), await cli('embed', '--model', repoModel('text'), '--text', ...texts)];
    expect([implicit.code, implicit.err]).toEqual([0, '']);
    expect(JSON.parse(implicit.out).count).toBe(2);
    expect(implicit.out).toBe(named.out);
    expect(implicit.out).toBe(byPath.out);
  });

  test('index build --model text records the model; search --query finds a sentence by its paraphrase', async () => {
    const input = join(newDir(), 'docs.jsonl');
    const docs = ['The soup needs more salt.', 'It will rain tomorrow.', 'The striker scored twice in the final.'];
    writeFileSync(input, docs.map((text, id) => JSON.stringify({ id, text })).join('\n'));
    const out = join(newDir(), 'idx');
    expect((await cli('index', 'build', '--model', 'text', '--input', input, '--out', out, '--json')).code).toBe(0);
    for (const model of [[], ['--model', 'text']]) {
      const { code, out: found } = await cli('search', '--index', out, '--query', 'Bring an umbrella, showers are expected.', '-k', '1', '--json', ...model);
      expect(code).toBe(0);
      expect(JSON.parse(found).results[0].ids).toEqual([1]);
    }
  });
});
