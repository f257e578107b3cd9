// Installable as users install it: the packages are built, packed with pnpm, installed with npm
// into a fresh project outside the workspace and used from plain `node`. A broken exports map, a
// file left out of `files`, a dependency declared only in the workspace, or an unrewritten
// `workspace:` range fails here and nowhere else (every other test runs on the TypeScript sources).
// The default models (@twinembed/models) are installed the same way and embed offline there.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, DEFAULT_MODELS, loadEmbedder, modelInfo } from '../packages/node/src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Package name → its folder in the workspace. */
const FOLDERS = { core: 'packages/core', node: 'packages/node', web: 'packages/web', models: 'models' } as const;
const PACKAGES = (Object.keys(FOLDERS) as (keyof typeof FOLDERS)[]).sort();
/** The files of a model folder that @twinembed/models ships; checkpoints and training curves stay in the repository. */
const SHIPPED_MODEL_FILES = new Set(['model.onnx', 'twinembed.json', 'tokenizer.json', 'tokenizer_config.json', 'LICENSE', 'NOTICE', 'training.json', 'evaluation.json']);
const SENTENCES = ['A man is playing a guitar.', 'Someone plays the guitar.', 'The stock market fell sharply today.'];
const MINUTES = 60_000;
type Manifest = Record<string, unknown> & { name: string; version: string };

/** Runs a command to completion; rejects with its output when it exits non-zero. */
function sh(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${code}:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
    });
  });
}

/** The environment of a user's shell: without the variables pnpm and vitest set for their own children. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|pnpm_|vitest)/i.test(key) && key !== 'NODE_ENV') env[key] = value;
  return {
    ...env,
    ONNXRUNTIME_NODE_INSTALL: 'skip', // onnxruntime-node's post-install would download CUDA libraries
    npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr',
    npm_config_update_notifier: 'false',
  };
}

/** Every file a manifest points at (exports, main, types, bin), except the workspace-only source condition. */
function referencedFiles(manifest: Manifest): string[] {
  const found: string[] = [];
  const walk = (entry: unknown, key?: string): void => {
    if (key === '@twinembed/source') return;
    if (typeof entry === 'string') found.push(entry.replace(/^\.\//, ''));
    else if (entry && typeof entry === 'object') for (const [k, v] of Object.entries(entry)) walk(v, k);
  };
  walk(manifest.exports);
  walk(manifest.main);
  walk(manifest.types);
  walk(manifest.bin);
  return [...new Set(found)].filter((path) => !path.includes('*')); // subpath patterns: see the models test
}

/** `unshare -rn` (a user and network namespace: no network at all), where this machine allows it. */
async function offlinePrefix(): Promise<string[]> {
  return sh('unshare', ['-rn', 'true'], ROOT).then(() => ['unshare', '-rn'], () => []);
}
const OFFLINE = await offlinePrefix();

// y = relu(x·Wᵀ + b) for a 3 → 2 layer, computed here independently of ONNX Runtime.
const W = [0.5, -1, 2, 1.5, 0.25, -0.75];
const B = [0.1, -0.2];
const X = [1, 2, 3, -1, 0.5, 4];
const EXPECTED = [0, 1].flatMap((r) => [0, 1].map((o) => Math.max(0, B[o]! + [0, 1, 2].reduce((s, i) => s + X[r * 3 + i]! * W[o * 3 + i]!, 0))));

const tinyModel = (pkg: string) => `
import { GraphBuilder, createTensor, linear } from '${pkg}';
export function tinyModel() {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 3]);
  const y = b.scope('encoder', () => b.scope('dense', () =>
    linear(b, x, { weight: new Float32Array(${JSON.stringify(W)}), bias: new Float32Array(${JSON.stringify(B)}), inFeatures: 3, outFeatures: 2 })));
  b.output(b.op.Relu(y), 'embedding');
  return b.toModel();
}
export const input = () => ({ x: createTensor('float32', new Float32Array(${JSON.stringify(X)}), [2, 3]) });
`;

const NODE_SCRIPT = `
import { nodeRuntime, saveModelFile } from '@twinembed/node';
import { tinyModel, input } from './tiny-node.mjs';
await saveModelFile('tiny.onnx', tinyModel());
const session = await nodeRuntime({ executionProviders: ['cpu'] }).createSession('tiny.onnx');
const { embedding } = await session.run(input());
console.log(JSON.stringify({ provider: session.executionProvider, dims: embedding.dims, data: Array.from(embedding.data) }));
`;

const WEB_SCRIPT = `
import { encodeModel, webRuntime } from '@twinembed/web';
import { tinyModel, input } from './tiny-web.mjs';
const session = await webRuntime({ executionProviders: ['wasm'] }).createSession(encodeModel(tinyModel()));
const { embedding } = await session.run(input());
console.log(JSON.stringify({ provider: session.executionProvider, dims: embedding.dims, data: Array.from(embedding.data) }));
`;

// Compiled by the workspace's TypeScript against the installed packages' declarations only.
const DEFAULT_MODEL_SCRIPT = `
import { loadEmbedder, resolveModel } from '@twinembed/node';
const embedder = await loadEmbedder();
const rows = await embedder.embed(${JSON.stringify(SENTENCES)});
console.log(JSON.stringify({ path: resolveModel(), dim: embedder.dim, rows: rows.map((r) => Array.from(r)) }));
await embedder.dispose();
`;

const TYPES_CHECK = `
import { DEFAULT_MODELS, GraphBuilder, nodeRuntime, type DefaultModel, type ModelInfo, type Runtime } from '@twinembed/node';
import { webRuntime, type WebRuntimeOptions } from '@twinembed/web';
import { modelInfo } from '@twinembed/core';
const runtimes: Runtime[] = [nodeRuntime({ executionProviders: ['cpu'] }), webRuntime({ executionProviders: ['wasm'] } satisfies WebRuntimeOptions)];
const info: ModelInfo = modelInfo(new GraphBuilder().toModel());
const names: readonly DefaultModel[] = DEFAULT_MODELS;
export const summary: [number, number, number] = [runtimes.length, info.opset, names.length];
`;

describe('the packed packages, installed with npm in a fresh project', () => {
  let work = '';
  let app = '';
  const manifests = new Map<string, { manifest: Manifest; files: string[] }>();

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'twinembed-pack-'));
    const outside = relative(ROOT, work);
    if (!outside.startsWith('..') && !isAbsolute(outside)) throw new Error(`temporary folder ${work} is inside the workspace: set TMPDIR elsewhere`);
    const tarballs = join(work, 'tarballs');
    app = join(work, 'app');
    await mkdir(tarballs);
    await mkdir(app);
    await sh('pnpm', ['run', 'build'], ROOT);
    for (const name of PACKAGES) await sh('pnpm', ['pack', '--pack-destination', tarballs], join(ROOT, FOLDERS[name]));
    const files = (await readdir(tarballs)).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs, f));
    for (const file of files) {
      const manifest = JSON.parse(await sh('tar', ['-xzOf', file, 'package/package.json'], work)) as Manifest;
      const listing = (await sh('tar', ['-tzf', file], work)).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
      manifests.set(manifest.name, { manifest, files: listing });
    }
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'twinembed-pack-check', private: true, type: 'module' }));
    await sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], app, userEnv());
    await writeFile(join(app, 'tiny-node.mjs'), tinyModel('@twinembed/node'));
    await writeFile(join(app, 'tiny-web.mjs'), tinyModel('@twinembed/web'));
    await writeFile(join(app, 'node-check.mjs'), NODE_SCRIPT);
    await writeFile(join(app, 'web-check.mjs'), WEB_SCRIPT);
    await writeFile(join(app, 'default-model-check.mjs'), DEFAULT_MODEL_SCRIPT);
  }, 10 * MINUTES); // a cold npm install downloads onnxruntime-node (114 MB) and compiles hnswlib-node

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  }, MINUTES);

  it('packs each package with its files and real dependency versions', async () => {
    expect([...manifests.keys()].sort()).toEqual(PACKAGES.map((p) => `@twinembed/${p}`));
    for (const name of PACKAGES) {
      const source = JSON.parse(await readFile(join(ROOT, FOLDERS[name], 'package.json'), 'utf8')) as Manifest;
      const { manifest, files } = manifests.get(source.name)!;
      expect(files, source.name).toContain('README.md');
      for (const path of referencedFiles(manifest)) expect(files, `${source.name} points at ${path}`).toContain(path);
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [dep, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
          expect(range, `${source.name} ${field}.${dep}`).not.toMatch(/^workspace:/);
          if (dep.startsWith('@twinembed/')) expect(range, `${source.name} → ${dep}`).toBe(manifests.get(dep)?.manifest.version);
        }
      }
    }
  });

  it('installs the twinembed packages from the tarballs, not from a registry', async () => {
    const lock = JSON.parse(await readFile(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
    const ours = Object.entries(lock.packages).filter(([path]) => /node_modules\/@twinembed\/[^/]+$/.test(path));
    expect(ours.map(([path]) => path).sort()).toEqual(PACKAGES.map((p) => `node_modules/@twinembed/${p}`));
    for (const [path, entry] of ours) expect(entry.resolved, path).toMatch(/^file:/);
  });

  /** Runs one of the check scripts written into the app and compares its output with EXPECTED. */
  async function expectCheckRun(script: string, provider: string): Promise<void> {
    const result = JSON.parse(await sh('node', [script], app, userEnv())) as { provider: string; dims: number[]; data: number[] };
    expect(result.provider).toBe(provider);
    expect(result.dims).toEqual([2, 2]);
    result.data.forEach((v, i) => expect(v).toBeCloseTo(EXPECTED[i]!, 5));
  }

  it('builds a model with the toolkit and runs it on onnxruntime-node', () => expectCheckRun('node-check.mjs', 'cpu'));

  it('runs the installed twinembed bin', async () => {
    const version = (await sh('npx', ['--no', '--', 'twinembed', '--version'], app, userEnv())).trim();
    expect(version).toBe(manifests.get('@twinembed/node')!.manifest.version);
    const info = JSON.parse(await sh('npx', ['--no', '--', 'twinembed', 'info', 'tiny.onnx', '--json'], app, userEnv()));
    expect(info).toMatchObject({ opset: 17, parameters: W.length + B.length, inputs: [{ name: 'x', type: 'float32', shape: ['batch', 3] }] });
    expect(info.outputs.map((o: { name: string }) => o.name)).toEqual(['embedding']);
    expect(Object.keys(info.ops)).toEqual(expect.arrayContaining(['MatMul', 'Relu']));
  });

  it('imports @twinembed/web and runs the same model on onnxruntime-web (wasm)', () => expectCheckRun('web-check.mjs', 'wasm'));

  it('ships each default model of the repository: the files a user loads, not checkpoints or training curves', () => {
    const { files } = manifests.get('@twinembed/models')!;
    const present = DEFAULT_MODELS.filter((name) => existsSync(join(ROOT, 'models', name, 'model.onnx')));
    expect(present).toEqual(expect.arrayContaining(['text', 'omniglot']));
    for (const name of present) {
      for (const file of readdirSync(join(ROOT, 'models', name))) expect(files.includes(`${name}/${file}`), `${name}/${file}`).toBe(SHIPPED_MODEL_FILES.has(file));
      expect(files, name).toContain(`${name}/twinembed.json`);
      if (name.startsWith('text')) expect(files, `${name}: Apache-2.0 asks for its LICENSE and a NOTICE of the changes`).toEqual(expect.arrayContaining([`${name}/LICENSE`, `${name}/NOTICE`]));
    }
  });

  it.runIf(OFFLINE.length > 0)('runs the offline checks below with no network at all (unshare -rn)', async () => {
    const probe = 'fetch("https://registry.npmjs.org/").then(() => process.exit(0), () => process.exit(3))';
    await expect(sh(OFFLINE[0]!, [...OFFLINE.slice(1), 'node', '-e', probe], app, userEnv())).rejects.toThrow(/exited 3/);
  });

  it('embeds with the default text model there, offline: loadEmbedder() and npx twinembed embed --text', async () => {
    const run = (...command: string[]) => sh([...OFFLINE, ...command][0]!, [...OFFLINE, ...command].slice(1), app, userEnv());
    const installed = JSON.parse(await run('node', 'default-model-check.mjs')) as { path: string; dim: number; rows: number[][] };
    expect(installed.path).toBe(join(app, 'node_modules', '@twinembed', 'models', 'text'));
    const workspace = await loadEmbedder();
    const want = (await workspace.embed(SENTENCES)).map((row) => Array.from(row));
    await workspace.dispose();
    // The same model files on the same onnxruntime-node build: equal up to float32 rounding.
    const worst = (rows: number[][]) => Math.max(...rows.flatMap((row, r) => row.map((v, j) => Math.abs(v - want[r]![j]!))));
    expect([installed.dim, installed.rows.length]).toEqual([want[0]!.length, SENTENCES.length]);
    expect(worst(installed.rows)).toBeLessThan(1e-6);
    const cli = JSON.parse(await run('npx', '--no', '--', 'twinembed', 'embed', '--text', ...SENTENCES, '--json')) as { embeddings: number[][] };
    expect(worst(cli.embeddings)).toBeLessThan(1e-6);
    const image = JSON.parse(await run('npx', '--no', '--', 'twinembed', 'info', 'omniglot', '--json')) as { outputs: { shape: unknown }[] };
    // the installed omniglot is the workspace's: the same declared output as `info models/omniglot` here
    const local = modelInfo(decodeModel(readFileSync(join(ROOT, 'models', 'omniglot', 'model.onnx'))));
    expect(image.outputs[0]!.shape).toEqual(local.outputs[0]!.shape);
  });

  it('runs the READMEs\' JavaScript examples against the installed packages', async () => {
    for (const readme of ['README.md', ...PACKAGES.filter((p) => p !== 'models').map((p) => `${FOLDERS[p]}/README.md`)]) {
      const blocks = [...(await readFile(join(ROOT, readme), 'utf8')).matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
      expect(blocks.length, readme).toBeGreaterThan(0);
      for (const [i, code] of blocks.entries()) {
        const file = `readme-${readme.replaceAll('/', '-')}-${i}.mjs`;
        await writeFile(join(app, file), code);
        await expect(sh('node', [file], app, userEnv()), `${readme}, example ${i + 1}`).resolves.toBeTypeOf('string');
      }
    }
  });

  it('type-checks a consumer against the installed declarations', async () => {
    await writeFile(join(app, 'check.ts'), TYPES_CHECK);
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM'], strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['check.ts'],
    }));
    const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
    await sh(process.execPath, [tsc, '-p', 'tsconfig.json'], app, userEnv());
  });
});
