// Default models by name: loadEmbedder() and loadEmbedder('omniglot') load the files of
// @twinembed/models (the workspace's models/ folder), a path of that name wins, and a name that is
// neither a path nor a default fails with the list of default names.
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { GraphBuilder, TwinembedError, encodeModel } from '@twinembed/core';
import { REPO_ROOT } from '../../../../test/support/paths.js';
import { tempDirs } from '../../../../test/support/temp-dirs.js';
import { DEFAULT_MODEL, DEFAULT_MODELS, resolveModel } from './default-models.js';
import { loadEmbedder } from './load-embedder.js';

const newDir = tempDirs('default-models');
const repoModel = (name: string) => join(REPO_ROOT, 'models', name);
const cwd = process.cwd();
afterEach(() => process.chdir(cwd));

/** A 4×4 grayscale "image model" whose embedding is its 16 pixels: nothing like a shipped model. */
function writeTinyImageModel(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const b = new GraphBuilder();
  const pixels = b.input('pixels', 'float32', ['batch', 1, 4, 4]);
  b.output(b.op.Flatten(pixels, { axis: 1 }), 'embedding');
  writeFileSync(join(dir, 'model.onnx'), encodeModel(b.toModel()));
  writeFileSync(join(dir, 'twinembed.json'), JSON.stringify({ modality: 'image', output: 'embedding', pooling: 'none', normalize: false, image: { size: 4, channels: 1 } }));
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('default models', () => {
  test('the names are text, text-sts and omniglot; text is the default', () => {
    expect(DEFAULT_MODELS).toEqual(['text', 'text-sts', 'omniglot']);
    expect(DEFAULT_MODEL).toBe('text');
  });

  test('every default model the repository has resolves to its folder under models/', () => {
    for (const name of DEFAULT_MODELS) {
      if (existsSync(join(repoModel(name), 'model.onnx'))) expect(realpathSync(resolveModel(name)), name).toBe(repoModel(name));
      else expect(() => resolveModel(name), name).toThrow(`default model "${name}": expected`);
    }
    // The two that must ship: the default text model and the image model.
    for (const name of ['text', 'omniglot']) expect(existsSync(join(repoModel(name), 'model.onnx')), `models/${name}/model.onnx`).toBe(true);
  });

  test('loadEmbedder("omniglot") embeds as loading models/omniglot by path does', async () => {
    const drawing = new Float32Array(28 * 28).map((_, i) => ((i % 28) > 9 && (i % 28) < 14 ? 1 : 0)); // a vertical bar
    const [byName, byPath] = await Promise.all([loadEmbedder('omniglot'), loadEmbedder(repoModel('omniglot'))]);
    const [a, b] = [(await byName.embed([drawing]))[0]!, (await byPath.embed([drawing]))[0]!];
    expect([byName.spec.modality, byName.dim]).toEqual(['image', byPath.dim]);
    expect(byName.dim).toBeGreaterThan(1);
    expect(Array.from(a)).toEqual(Array.from(b));
    await Promise.all([byName.dispose(), byPath.dispose()]);
  });

  test('loadEmbedder() loads the default text model: unit vectors, paraphrases nearer than unrelated sentences', async () => {
    const [byDefault, byPath] = await Promise.all([loadEmbedder(), loadEmbedder(repoModel('text'))]);
    const sentences = ['A man is playing a guitar.', 'Someone plays the guitar.', 'The stock market fell sharply today.'];
    const [rows, again] = [await byDefault.embed(sentences), await byPath.embed(sentences)];
    expect(byDefault.spec.modality).toBe('text');
    expect(rows.map((r) => Array.from(r))).toEqual(again.map((r) => Array.from(r)));
    for (const row of rows) expect(Math.abs(Math.sqrt(dot(row, row)) - 1)).toBeLessThan(1e-5);
    expect(dot(rows[0]!, rows[1]!)).toBeGreaterThan(dot(rows[0]!, rows[2]!));
    await Promise.all([byDefault.dispose(), byPath.dispose()]);
  });

  test('a file or folder of that name in the working directory wins over the default', async () => {
    const dir = newDir();
    writeTinyImageModel(join(dir, 'text'));
    writeFileSync(join(dir, 'omniglot'), 'not a model');
    process.chdir(dir);
    expect(resolveModel('text')).toBe('text');
    expect(resolveModel('omniglot')).toBe('omniglot');
    const embedder = await loadEmbedder('text');
    expect([embedder.spec.modality, embedder.dim]).toEqual(['image', 16]);
    await embedder.dispose();
  });

  test('a name that is neither a path nor a default fails once, listing the default names', async () => {
    process.chdir(newDir());
    await expect(loadEmbedder('txet')).rejects.toThrow(TwinembedError);
    await expect(loadEmbedder('txet')).rejects.toThrow('[twinembed:model] model "txet": expected a model folder, an .onnx file or a default model name (text, text-sts, omniglot), got no such file or folder here');
    // A missing path (a separator or an extension) is the file reader's error, not a name lookup.
    await expect(loadEmbedder('./models/omniglot')).rejects.toThrow('[twinembed:io] cannot read "./models/omniglot": no such file or directory');
    await expect(loadEmbedder('omniglot.onnx')).rejects.toThrow('[twinembed:io] cannot read "omniglot.onnx"');
  });

  test('a default name missing from the installed models fails clearly', async () => {
    const modelsDir = newDir();
    writeTinyImageModel(join(modelsDir, 'omniglot'));
    process.chdir(newDir());
    expect(realpathSync(resolveModel('omniglot', { modelsDir }))).toBe(realpathSync(join(modelsDir, 'omniglot')));
    await expect(loadEmbedder('text-sts', { modelsDir })).rejects.toThrow(`[twinembed:model] default model "text-sts": expected ${join(modelsDir, 'text-sts', 'model.onnx')}, got no such file`);
    await expect(loadEmbedder(undefined, { modelsDir })).rejects.toThrow('default model "text": expected');
  });
});
