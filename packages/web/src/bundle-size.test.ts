// What a browser app ships of @twinembed/web, bundled for browsers as tsup.config.ts's browserBundle
// says (core, tokenizers, zod and protobufjs in; onnxruntime-web out), must stay small: a
// dependency pulled in by accident or a Node-only import shows up here first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'tsup';
import { expect, test } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs.js';
import { browserBundle } from '../tsup.config.js';

const newDir = tempDirs('web-bundle');

// Measured 2026-11-28 (tsup 8.5.1, esbuild 0.27.7, zod 4.6.7): 361,966 bytes minified, 101,271 gzipped;
// ceilings are those + 25%. zod is 27 kB of it since core's manifest.ts moved to zod/mini (with classic
// zod the bundle was 792,437 bytes, 186,662 gzipped): an import of `zod` itself would break the ceiling.
const MAX_BYTES = 453_000;
const MAX_GZIP_BYTES = 127_000;

test('the browser bundle (minified, onnxruntime-web external) stays under its size ceiling', { timeout: 120_000 }, async () => {
  const outDir = newDir();
  await build({ ...browserBundle, outDir, silent: true, config: false });
  const js = readFileSync(join(outDir, 'twinembed-web.js'));
  const text = js.toString('utf8');
  // (booleans and match lists, not toMatch: a failure would print the whole bundle)
  expect(/from\s*["']onnxruntime-web["']/.test(text), 'onnxruntime-web is imported').toBe(true);
  expect(text.match(/ort-wasm-simd-threaded|onnxruntime-common/g) ?? [], 'no onnxruntime-web code inside').toEqual([]);
  expect(text.match(/from\s*["']node:[a-z_/]+["']|require\(["']node:[a-z_/]+["']\)/g) ?? [], 'nothing Node-only').toEqual([]);
  const gzip = gzipSync(js).length;
  if (process.env.TWINEMBED_REPORT) console.log(`browser bundle: ${js.length} bytes, ${gzip} gzipped`);
  expect(js.length).toBeLessThan(MAX_BYTES);
  expect(gzip).toBeLessThan(MAX_GZIP_BYTES);
});
