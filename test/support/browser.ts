// Real-browser tests: Debian's Chromium driven by playwright-core, a fresh profile per launch, pages
// served from 127.0.0.1 with the cross-origin-isolation headers wasm threads need, and the test
// page (test/browser/page) bundled from the package sources by Vite once per run (global setup).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe } from 'vitest';
import type * as Twinembed from '@twinembed/web';
import { REPO_ROOT } from './paths.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** `describe` when Chromium is installed; otherwise one skipped suite whose name says why. */
export function describeInChromium(name: string, body: () => void): void {
  if (hasChromium) describe(name, body);
  else describe.skip(`${name}: ${CHROMIUM} is absent (apt-get install chromium libvulkan1)`, () => {});
}

/** What the test page (test/browser/page/main.ts) puts on `window`. */
export interface TestPageGlobals {
  twinembed: typeof Twinembed;
  /** A client of a fresh dedicated worker running serveWorker(). */
  newWorkerClient(): Twinembed.TwinembedClient;
  /** Where this server serves onnxruntime-web's dist folder, for `runtime: { wasmPaths }`. */
  wasmPaths: string;
  twinembedReady: boolean;
}
declare global {
  interface Window extends TestPageGlobals {}
}

// Flags from ../shared/TOOLCHAIN.md: wasm and a WebGPU adapter (SwiftShader's Vulkan) in headless Chromium.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-webgpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export const ORT_DIST = join(dirname(createRequire(join(REPO_ROOT, 'packages', 'web', 'package.json')).resolve('onnxruntime-web')), '..', 'dist');
const PAGE_SOURCE = join(REPO_ROOT, 'test', 'browser', 'page');

/** Bundles the test page and its worker from the TypeScript sources (the @twinembed/source condition). */
export async function buildTestPage(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    root: PAGE_SOURCE,
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: ['@twinembed/source', 'module', 'browser', 'development|production'] },
    build: { outDir, emptyOutDir: true, minify: false, target: 'es2022', reportCompressedSize: false, chunkSizeWarningLimit: 10_000 },
    worker: { format: 'es' },
  });
}

const MIME: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json',
};

/** Serves URL prefixes from folders on 127.0.0.1 with COOP/COEP (cross-origin isolation); nothing outside them. */
export async function serveFolders(routes: Readonly<Record<string, string>>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const prefix = Object.keys(routes).filter((p) => path.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    const root = prefix === undefined ? undefined : routes[prefix]!;
    const file = root === undefined ? undefined : normalize(join(root, path.slice(prefix!.length) || 'index.html'));
    const body = file && file.startsWith(root! + sep) ? await readFile(file).catch(() => undefined) : undefined;
    const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin', 'cache-control': 'no-store' };
    if (!body) response.writeHead(404, headers).end('not found');
    else response.writeHead(200, { ...headers, 'content-type': MIME[extname(file!)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface TestBrowser {
  page: Page;
  context: BrowserContext;
  /** The page's origin, ending in '/'; files written to `filesDir` are under `${url}files/`. */
  url: string;
  filesDir: string;
  /** Reloads the page (same profile: IndexedDB survives) and waits for it to be ready. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** Headless Chromium on the persistent profile folder `profile`, with wasm and a WebGPU adapter (SwiftShader unless VK_ICD_FILENAMES says otherwise). */
export function launchChromium(profile: string, options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' },
    ...options,
  });
}

/** Chromium on a fresh profile, showing the built test page; page errors fail the next wait with their message. */
export async function openTestPage(pageDir: string): Promise<TestBrowser> {
  const filesDir = mkdtempSync(join(tmpdir(), 'twinembed-browser-files-'));
  const profile = mkdtempSync(join(tmpdir(), 'twinembed-browser-profile-'));
  const server = await serveFolders({ '/': pageDir, '/ort/': ORT_DIST, '/files/': filesDir });
  const context = await launchChromium(profile);
  const page = context.pages()[0] ?? await context.newPage();
  const ready = async () => {
    await page.goto(server.url);
    await page.waitForFunction(() => window.twinembedReady === true, undefined, { timeout: 30_000 });
  };
  await ready();
  return {
    page, context, url: server.url, filesDir,
    reload: ready,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/** Largest |a − b| over two equally long lists of numbers. */
export function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`expected equally long arrays, got ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
