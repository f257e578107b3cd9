// Binary heaps over typed arrays (distance keys, uint32 slots): no objects per entry, and
// reused across searches. `order` 1 keeps the largest distance on top, −1 the smallest.

export class DistanceHeap {
  keys: Float64Array;
  values: Uint32Array;
  size = 0;

  constructor(capacity: number, readonly order: 1 | -1) {
    this.keys = new Float64Array(Math.max(capacity, 4));
    this.values = new Uint32Array(Math.max(capacity, 4));
  }

  clear(): void {
    this.size = 0;
  }

  topKey(): number {
    return this.keys[0]!;
  }

  topValue(): number {
    return this.values[0]!;
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys, values = this.values, order = this.order;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((keys[parent]! - key) * order >= 0) break;
      keys[i] = keys[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Removes the top; read it first with topKey / topValue. */
  pop(): void {
    const n = --this.size;
    if (n <= 0) return;
    const keys = this.keys, values = this.values, order = this.order;
    const key = keys[n]!, value = values[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && (keys[child + 1]! - keys[child]!) * order > 0) child++;
      if ((keys[child]! - key) * order <= 0) break;
      keys[i] = keys[child]!;
      values[i] = values[child]!;
      i = child;
    }
    keys[i] = key;
    values[i] = value;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const values = new Uint32Array(this.values.length * 2);
    keys.set(this.keys);
    values.set(this.values);
    this.keys = keys;
    this.values = values;
  }
}

/** Drains a top-large heap into ascending order; returns the count. */
export function drainAscending(heap: DistanceHeap, keys: Float64Array, values: Uint32Array): number {
  const n = heap.size;
  for (let i = n - 1; i >= 0; i--) {
    keys[i] = heap.topKey();
    values[i] = heap.topValue();
    heap.pop();
  }
  return n;
}
