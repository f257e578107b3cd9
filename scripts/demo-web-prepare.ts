// Fills packages/web/demo/public/ (gitignored) before the demo is served or built, so the page loads
// everything from its own origin: the default image model (models/omniglot, or an untrained conv4
// placeholder while that model does not exist yet), the default text model (models/text, the files
// an app copies from node_modules/@twinembed/models/text) and onnxruntime-web's wasm files.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conv4Encoder, encodeModel } from '@twinembed/web';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PUBLIC = join(REPO, 'packages/web/demo/public');
const MODEL_SOURCE = join(REPO, 'models/omniglot');
const TEXT_MODEL_SOURCE = join(REPO, 'models/text');
/** What the text search panel loads (text-search-panel.ts asks for these files only). */
const TEXT_MODEL_FILES = ['model.onnx', 'twinembed.json', 'tokenizer.json', 'tokenizer_config.json'];
/** The files the default import of onnxruntime-web (wasm + WebGPU through JSEP) loads at run time. */
const ORT_FILES = ['ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'];
/** The placeholder's manifest: 28×28 grayscale, white strokes on black (the drawing pad's convention). */
const PLACEHOLDER_MANIFEST = { modality: 'image', image: { size: 28, channels: 1 }, normalize: true };

/** What the page shows about where its image model came from (read from demo-model.json). */
export interface DemoModelInfo {
  source: 'models/omniglot' | 'placeholder';
  note: string;
}

function copyOrtFiles(): void {
  const require = createRequire(join(REPO, 'packages/web/package.json'));
  const dir = join(PUBLIC, 'ort');
  mkdirSync(dir, { recursive: true });
  for (const file of ORT_FILES) copyFileSync(require.resolve(`onnxruntime-web/${file}`), join(dir, file));
}

function writeImageModel(): DemoModelInfo {
  const dir = join(PUBLIC, 'models/omniglot');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(MODEL_SOURCE, 'model.onnx'))) {
    for (const file of ['model.onnx', 'twinembed.json']) {
      if (existsSync(join(MODEL_SOURCE, file))) copyFileSync(join(MODEL_SOURCE, file), join(dir, file));
    }
    return { source: 'models/omniglot', note: 'the project\'s default one-shot model (models/omniglot)' };
  }
  writeFileSync(join(dir, 'model.onnx'), encodeModel(conv4Encoder({ channels: 64 }).toModel()));
  writeFileSync(join(dir, 'twinembed.json'), `${JSON.stringify(PLACEHOLDER_MANIFEST, null, 2)}\n`);
  return { source: 'placeholder', note: 'an untrained conv4 placeholder (models/omniglot does not exist yet)' };
}

/** The default text model, as a web app serves @twinembed/models: its files copied to the static folder. */
function copyTextModel(): void {
  const dir = join(PUBLIC, 'models/text');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of TEXT_MODEL_FILES) {
    const from = join(TEXT_MODEL_SOURCE, file);
    if (!existsSync(from)) throw new Error(`[twinembed:demo] the default text model: expected ${from}, got no such file`);
    copyFileSync(from, join(dir, file));
  }
}

export function prepareDemoAssets(): DemoModelInfo {
  mkdirSync(PUBLIC, { recursive: true });
  copyOrtFiles();
  copyTextModel();
  const info = writeImageModel();
  writeFileSync(join(PUBLIC, 'demo-model.json'), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const info = prepareDemoAssets();
  console.log(`demo assets in ${PUBLIC}: image model = ${info.note}; text model = models/text; onnxruntime-web files in ort/`);
}
