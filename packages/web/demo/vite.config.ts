// The demo's Vite config. `@twinembed/web` resolves to the package sources (the `@twinembed/source`
// condition) in dev and in builds alike, so the demo never runs a stale dist/. onnxruntime-web's
// "extern wasm" entry keeps its .mjs/.wasm out of the bundle: the page loads the copies that
// scripts/demo-web-prepare.ts puts in public/ort/, from its own origin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Cross-origin isolation, so onnxruntime-web may use wasm threads (SharedArrayBuffer). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // Its own dependency cache, apart from the one vitest keeps for packages/web.
  cacheDir: fileURLToPath(new URL('../../../node_modules/.vite/web-demo', import.meta.url)),
  resolve: {
    conditions: ['@twinembed/source', 'onnxruntime-web-use-extern-wasm', 'module', 'browser', 'development|production'],
  },
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 },
});
