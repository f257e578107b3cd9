// hnswlib-wasm (0.8.2) as a benchmark peer. It ships a web-only Emscripten build that refuses
// Node ("not compiled for this environment"); defining `window` lets it load, and its IndexedDB
// file system fails to mount (logged by the library, silenced here) without affecting search.

/** The calls the benchmark makes, common to hnswlib-node and hnswlib-wasm. */
export interface RawHnsw {
  initIndex(max: number, m: number, efConstruction: number, seed: number): void;
  addPoint(point: Float32Array | number[], label: number, replaceDeleted: boolean): void;
  setEf(ef: number): void;
  searchKnn(query: Float32Array | number[], k: number, filter: undefined): { neighbors: number[]; distances: number[] };
}

type Make = (metric: string, dim: number) => RawHnsw;

/** The part of hnswlib-wasm's API used here (its .d.ts files do not resolve under NodeNext). */
interface WasmHnsw {
  initIndex(max: number, m: number, efConstruction: number, seed: number): void;
  addPoint(point: Float32Array | number[], label: number, replaceDeleted: boolean): void;
  setEfSearch(ef: number): void;
  searchKnn(query: Float32Array | number[], k: number, filter: undefined): { neighbors: number[]; distances: number[] };
}
interface WasmModule {
  loadHnswlib(): Promise<{ HierarchicalNSW: new (space: string, dim: number, autoSaveFilename: string) => WasmHnsw }>;
}

export async function loadHnswlibWasm(): Promise<Make | Error> {
  const g = globalThis as Record<string, unknown>;
  const hadWindow = 'window' in g;
  if (!hadWindow) g.window = globalThis;
  const quiet = { error: console.error, warn: console.warn, log: console.log };
  console.error = console.warn = console.log = () => {};
  try {
    const { loadHnswlib } = (await import('hnswlib-wasm/dist/hnswlib.js')) as unknown as WasmModule;
    const lib = await loadHnswlib();
    return (metric, dim) => {
      const index = new lib.HierarchicalNSW(metric === 'l2' ? 'l2' : metric === 'ip' ? 'ip' : 'cosine', dim, '');
      return {
        initIndex: (max, m, efc, seed) => index.initIndex(max, m, efc, seed),
        addPoint: (p, label, replace) => index.addPoint(p, label, replace),
        setEf: (ef) => index.setEfSearch(ef),
        searchKnn: (q, k, filter) => index.searchKnn(q, k, filter),
      };
    };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    Object.assign(console, quiet);
    if (!hadWindow) delete g.window;
  }
}
