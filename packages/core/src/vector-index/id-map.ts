// Caller ids (numbers or strings) ↔ the numeric labels hnswlib stores, plus metadata per id.
// A non-negative integer id keeps its own value as label, so raw hnswlib files stay readable
// by hnswlib-node with the caller's ids; other ids take the next free label.
import type { IndexFilter, Metadata, VectorId } from './vector-index.js';

export class IdMap {
  private readonly labelOf = new Map<VectorId, number>();
  private readonly idOf = new Map<number, VectorId>();
  private readonly meta = new Map<number, Metadata>();
  private nextLabel = 0;

  get size(): number {
    return this.labelOf.size;
  }

  label(id: VectorId): number | undefined {
    return this.labelOf.get(id);
  }

  id(label: number): VectorId {
    const id = this.idOf.get(label);
    return id === undefined ? label : id;
  }

  metadataOf(label: number): Metadata | undefined {
    return this.meta.get(label);
  }

  has(id: VectorId): boolean {
    return this.labelOf.has(id);
  }

  /** The metadata stored with `id`, or undefined for an unknown id or one without metadata. */
  metadata(id: VectorId): Metadata | undefined {
    const label = this.labelOf.get(id);
    return label === undefined ? undefined : this.meta.get(label);
  }

  /** Assigns a label to a new id (the caller checked it is new). */
  assign(id: VectorId, metadata: Metadata | undefined): number {
    let label: number;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 && !this.idOf.has(id)) label = id;
    else {
      while (this.idOf.has(this.nextLabel)) this.nextLabel++;
      label = this.nextLabel++;
    }
    this.bind(id, label, metadata);
    return label;
  }

  bind(id: VectorId, label: number, metadata: Metadata | undefined): void {
    this.labelOf.set(id, label);
    this.idOf.set(label, id);
    if (metadata !== undefined) this.meta.set(label, metadata);
    else this.meta.delete(label);
  }

  setMetadata(label: number, metadata: Metadata | undefined): void {
    if (metadata !== undefined) this.meta.set(label, metadata);
  }

  delete(id: VectorId): void {
    const label = this.labelOf.get(id);
    if (label === undefined) return;
    this.labelOf.delete(id);
    this.idOf.delete(label);
    this.meta.delete(label);
  }

  /** Compact form for the sidecar: labels, ids and metadata in one order. */
  toJSON(): { labels: number[]; ids: VectorId[]; metadata: (Metadata | null)[] } {
    const labels: number[] = [], ids: VectorId[] = [], metadata: (Metadata | null)[] = [];
    for (const [id, label] of this.labelOf) {
      labels.push(label);
      ids.push(id);
      metadata.push(this.meta.get(label) ?? null);
    }
    return { labels, ids, metadata };
  }
}

/** Turns a filter into a predicate over labels, or undefined when there is none. */
export function labelPredicate(filter: IndexFilter | undefined, ids: IdMap): ((label: number) => boolean) | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter === 'function') return (label) => filter(ids.id(label), ids.metadataOf(label));
  const entries = Object.entries(filter);
  return (label) => {
    const meta = ids.metadataOf(label);
    if (meta === undefined) return false;
    for (const [key, want] of entries) {
      const got = meta[key];
      if (Array.isArray(want) ? !want.some((w) => w === got) : got !== want) return false;
    }
    return true;
  };
}
