import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The npm package: ESM + types, dependencies (core, onnxruntime-web) left to the user's bundler. */
const packageBuild: Options = {
  entry: ['src/index.ts', '!src/**/*.test.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
};

/**
 * What a browser app ships of twinembed: the package with core and its dependencies (tokenizers,
 * zod, protobufjs) bundled and minified, onnxruntime-web left external (it is fetched with its
 * .wasm files on its own). Built by the size test (bundle-size.test.ts), not published.
 */
export const browserBundle: Options = {
  entry: { 'twinembed-web': here('src/index.ts') },
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  outDir: here('dist/browser'),
  external: ['onnxruntime-web'],
  noExternal: [/^(?!onnxruntime-web$)/],
  minify: true,
  treeshake: true,
  dts: false,
  sourcemap: false,
  clean: true,
  esbuildOptions(options) {
    options.conditions = ['@twinembed/source', 'browser', 'module', 'import', 'default'];
  },
};

export default defineConfig(packageBuild);
