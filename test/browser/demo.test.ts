// The web demo (packages/web/demo) in headless Chromium: built with Vite and served by `vite preview`
// from 127.0.0.1 (its config sets the cross-origin-isolation headers), driven by real pointer input.
// The page goes offline once loaded, so every step after that proves it needs nothing from the
// network; no request may leave its origin at all. Screenshots go to test/artifacts/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareDemoAssets } from '../../scripts/demo-web-prepare.js';
import { describeInChromium, launchChromium } from '../support/browser.js';
import { REPO_ROOT } from '../support/paths.js';
import { loadEmbedder } from '../../packages/node/src/index.js';
import { tempDirs } from '../support/temp-dirs.js';

const CONFIG = join(REPO_ROOT, 'packages/web/demo/vite.config.ts');
const ARTIFACTS = join(REPO_ROOT, 'test/artifacts');
const DOCS_PNG = join(REPO_ROOT, 'docs/demo.png');

/** Pad-relative strokes, [0, 1] coordinates. */
type Path = [number, number][];
const circle = (cx: number, cy: number, r: number, squash = 1): Path =>
  Array.from({ length: 25 }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / 24), cy + squash * r * Math.sin((2 * Math.PI * i) / 24)]);
const SHAPES: Record<string, Path[]> = {
  ring: [circle(0.5, 0.5, 0.3)],
  cross: [[[0.2, 0.2], [0.8, 0.8]], [[0.8, 0.2], [0.2, 0.8]]],
  zigzag: [[[0.1, 0.35], [0.3, 0.65], [0.5, 0.35], [0.7, 0.65], [0.9, 0.35]]],
};
/** Each a drawing of one enrolled class, drawn elsewhere on the pad, at another size and slant. */
const QUERIES: Record<string, Path[]> = {
  ring: [circle(0.4, 0.6, 0.2, 0.85)],
  cross: [[[0.35, 0.3], [0.85, 0.75]], [[0.8, 0.25], [0.3, 0.8]]],
  zigzag: [[[0.15, 0.5], [0.3, 0.75], [0.45, 0.5], [0.6, 0.75], [0.75, 0.5]]],
};

async function draw(page: Page, paths: Path[]): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.click('#clear');
  for (const path of paths) {
    await page.mouse.move(...at(path[0]!));
    await page.mouse.down();
    for (const point of path.slice(1)) await page.mouse.move(...at(point), { steps: 4 });
    await page.mouse.up();
  }
}

describeInChromium('web demo in Chromium', () => {
  let server: PreviewServer;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  const requests: string[] = [];
  const errors: string[] = [];
  const tempDir = tempDirs('demo');
  const profile = tempDir();

  beforeAll(async () => {
    prepareDemoAssets();
    await build({ configFile: CONFIG, logLevel: 'warn' });
    server = await preview({ configFile: CONFIG, logLevel: 'warn', preview: { port: 0, strictPort: false } });
    origin = new URL(server.resolvedUrls!.local[0]!).origin;
    context = await launchChromium(profile, { viewport: { width: 1180, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => void requests.push(r.url()));
    page.on('pageerror', (e) => void errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(`${origin}/?ep=wasm`);
    await page.waitForSelector('body[data-model="ready"], body[data-model="error"]', { timeout: 60_000 });
    expect(await page.textContent('#model-status')).not.toMatch(/^Could not start/);
    await page.waitForSelector('#text-status[data-state="ready"], #text-status.error', { timeout: 60_000 });
    expect(await page.getAttribute('#text-status', 'data-state'), (await page.textContent('#text-status')) ?? '').toBe('ready');
    await context.setOffline(true);
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('loads cross-origin isolated, on wasm threads, with everything from its own origin', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.textContent('#model-status')).toMatch(/runs on wasm$/);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(await page.textContent('#runtime-info')).toContain(`wasm threads: ${Math.min(4, cores)}`);
    // The worker's requests are seen too (onnxruntime-web's wasm is fetched there), so this covers them.
    expect(requests).toContain(`${origin}/ort/ort-wasm-simd-threaded.jsep.wasm`);
    expect(requests.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'))).toEqual([]);
  });

  it('enrolls three drawn classes and ranks the class of a new drawing first', async () => {
    for (const [label, paths] of Object.entries(SHAPES)) {
      await draw(page, paths);
      await page.fill('#class-name', label);
      await page.click('#enroll');
      await page.waitForSelector(`#gallery li[data-label="${label}"]`);
    }
    for (const [label, paths] of Object.entries(QUERIES)) {
      await draw(page, paths);
      await page.click('#recognise');
      await page.waitForSelector('#ranking li');
      const ranked = await page.$$eval('#ranking li', (items) => items.map((li) => [li.dataset.label, Number(li.dataset.distance)] as const));
      expect(ranked.map(([l]) => l), `query drawn like "${label}"`).toHaveLength(3);
      expect(ranked[0]![0], `query drawn like "${label}": ${JSON.stringify(ranked)}`).toBe(label);
      await page.screenshot({ path: join(ARTIFACTS, `demo-recognise-${label}.png`) });
    }
    // Enrolling a class again adds an example to it: the class becomes the mean of its drawings.
    await draw(page, [circle(0.55, 0.45, 0.25, 1.1)]);
    await page.fill('#class-name', 'ring');
    await page.click('#enroll');
    await page.waitForSelector('#gallery li[data-label="ring"][data-examples="2"]');
    expect(await page.$$eval('#gallery li', (items) => items.map((li) => [li.dataset.label, li.dataset.examples]))).toEqual([['ring', '2'], ['cross', '1'], ['zigzag', '1']]);
    await draw(page, QUERIES.ring!);
    await page.click('#recognise');
    await page.waitForSelector('#ranking li');
    expect(await page.$$eval('#ranking li', (items) => items.map((li) => li.dataset.label))).toHaveLength(3);
    expect(await page.getAttribute('#ranking li:first-child', 'data-label')).toBe('ring');
  });

  it('searches lines with the default text model served by the page, as Node embeds them', async () => {
    expect(requests).toContain(`${origin}/models/text/model.onnx`);
    const lines = (await page.inputValue('#documents')).split('\n');
    const node = await loadEmbedder(); // the same files, on onnxruntime-node
    const rows = await node.embed(lines);
    // Topics of the text box's six lines (index.html): each query's two nearest lines are its topic's two.
    for (const [queryText, topic] of [['Is it going to rain?', [3, 5]], ['Where is my cat sleeping?', [0, 2]], ['Share prices dropped.', [1, 4]]] as const) {
      await page.fill('#query', queryText);
      await page.click('#search');
      await page.waitForFunction((q) => { const el = document.querySelector('#text-status')!; return el.classList.contains('error') || el.textContent!.includes(`"${q}"`); }, queryText);
      expect(await page.getAttribute('#text-status', 'class')).not.toContain('error');
      const found = await page.$$eval('#text-results li', (items) => items.map((li) => [Number(li.dataset.line), Number(li.dataset.distance)] as const));
      expect(found.slice(0, 2).map(([line]) => line).sort(), queryText).toEqual([...topic]);
      const [q] = await node.embed([queryText]);
      // wasm and the CPU provider differ only in summation order: ~1e-7 per value of these unit vectors.
      for (const [line, distance] of found) expect(Math.abs(distance - (1 - rows[line]!.reduce((s, x, j) => s + x * q![j]!, 0))), `${queryText} → line ${line}`).toBeLessThan(1e-5);
    }
    await node.dispose();
  });

  it('fine-tunes the encoder in the page: the loss is plotted and the held-out loss falls', async () => {
    await page.fill('#train-steps', '8');
    await page.click('#train');
    await page.waitForSelector('#fine-tune[data-state="done"], #fine-tune[data-state="error"]', { timeout: 60_000 });
    expect(await page.getAttribute('#fine-tune', 'data-state'), (await page.textContent('#train-status')) ?? '').toBe('done');
    const losses = ((await page.getAttribute('#loss-plot', 'data-losses')) ?? '').split(',').map(Number);
    expect(losses).toHaveLength(8);
    for (const loss of losses) expect(Number.isFinite(loss) && loss >= 0).toBe(true);
    const heldOut = await page.$eval('#held-out-loss', (el) => [Number(el.dataset.before), Number(el.dataset.after)]);
    expect(heldOut[1], `held-out loss before → after: ${heldOut.join(' → ')}`).toBeLessThan(heldOut[0]!);
    expect(await page.getAttribute('#train-provider', 'data-provider')).toBe('wasm');
    expect(Number(await page.textContent('#train-rate'))).toBeGreaterThan(0);
    // One-shot accuracy before → after, on the three enrolled drawings (jittered re-renderings as queries) and the glyphs.
    const accuracy = await page.$$eval('#accuracy [data-set]', (rows) => rows.map((r) => [r.dataset.set, Number(r.dataset.before), Number(r.dataset.after)] as const));
    expect(accuracy.map(([set]) => set)).toEqual(['enrolled drawings', 'built-in glyphs']);
    for (const [, ...shares] of accuracy) for (const a of shares) expect(a >= 0 && a <= 1).toBe(true);
    // The gallery now ranks with the fine-tuned encoder, still offline.
    await draw(page, QUERIES.ring!);
    await page.click('#recognise');
    await page.waitForSelector('#ranking li');
    await page.screenshot({ path: join(ARTIFACTS, 'demo-fine-tuned.png'), fullPage: true });
    if (!existsSync(DOCS_PNG) || process.env.UPDATE_DEMO_PNG === '1') await page.screenshot({ path: DOCS_PNG, fullPage: true });
    expect(errors).toEqual([]);
  });
});
