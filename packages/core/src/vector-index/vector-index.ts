// The one nearest-neighbour interface every backend (flat, hnsw, hnswlib-node) implements,
// so callers, the CLI and the recall tests never depend on which one is underneath.

export type Metric = 'cosine' | 'l2' | 'ip';
export type IndexBackend = 'flat' | 'hnsw' | 'hnswlib';
/** The caller's own id: a number or a string, mapped to an internal label. */
export type VectorId = number | string;
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Metadata = { [key: string]: JsonValue };

/** A predicate, or an object whose fields must equal the metadata's (an array value means "one of"). */
export type IndexFilter = ((id: VectorId, metadata: Metadata | undefined) => boolean) | Metadata;

export interface IndexOptions {
  backend?: IndexBackend;
  dim: number;
  /** cosine (1 − cos, vectors normalized on add and search), l2 (squared) or ip (1 − a·b), as in hnswlib. */
  metric?: Metric;
  /** Links per node on upper layers; layer 0 keeps 2M. Default 16. */
  M?: number;
  /** Candidate list size while building. Default 200. */
  efConstruction?: number;
  /** Default candidate list size while searching. Default 64. */
  ef?: number;
  /** Seeds the level generator so builds are repeatable. Default 100 (hnswlib's). */
  seed?: number;
  /** Initial number of slots; grows on its own. Default 1024. */
  capacity?: number;
}

export interface AddOptions {
  /** One metadata object per id (or undefined), stored with the index and seen by filters. */
  metadata?: readonly (Metadata | undefined)[];
  /** Update the vector of ids already present instead of failing. */
  replace?: boolean;
}

export interface SearchOptions {
  ef?: number;
  filter?: IndexFilter;
}

export interface SearchResult {
  ids: VectorId[];
  distances: Float32Array;
}

/** Rows as separate vectors, or one row-major matrix of `ids.length × dim`. */
export type VectorRows = Float32Array | readonly Float32Array[];

export interface VectorIndex {
  readonly backend: IndexBackend;
  readonly dim: number;
  readonly metric: Metric;
  /** Live (not removed) vectors. */
  readonly size: number;
  /** Slots allocated now; grows on its own. */
  readonly capacity: number;
  add(ids: readonly VectorId[], vectors: VectorRows, options?: AddOptions): void;
  /** Nearest first. One query gives one result; a matrix or list of queries gives one per query. */
  search(query: Float32Array, k: number, options?: SearchOptions): SearchResult;
  searchBatch(queries: VectorRows, k: number, options?: SearchOptions): SearchResult[];
  /** Marks ids deleted; their slots are reused by later adds. Unknown ids fail. */
  remove(ids: readonly VectorId[]): void;
  has(id: VectorId): boolean;
  metadata(id: VectorId): Metadata | undefined;
  /** Live ids, in slot order. */
  ids(): VectorId[];
  save(): Uint8Array;
}
