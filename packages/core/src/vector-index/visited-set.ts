// hnswlib's visited list: one tag per slot and an epoch, so starting a search costs nothing
// instead of clearing an array; the tags are cleared only when the epoch wraps.

export class VisitedSet {
  private tags: Uint16Array;
  private epoch = 0;

  constructor(capacity: number) {
    this.tags = new Uint16Array(capacity);
  }

  /** Starts a new search; grows to `capacity` slots first if needed. */
  next(capacity: number): void {
    if (capacity > this.tags.length) {
      this.tags = new Uint16Array(Math.max(capacity, this.tags.length * 2));
      this.epoch = 0;
    }
    this.epoch++;
    if (this.epoch === 0x10000) {
      this.tags.fill(0);
      this.epoch = 1;
    }
  }

  /** Marks a slot; returns false when it was already marked in this search. */
  visit(slot: number): boolean {
    if (this.tags[slot] === this.epoch) return false;
    this.tags[slot] = this.epoch;
    return true;
  }
}
