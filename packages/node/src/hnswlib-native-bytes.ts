// What native hnswlib is given to read, made from bytes that checkHnswlib passed: max elements cut
// down to what the file holds (hnswlib allocates for max elements before reading anything), and
// deleted slots that share a label with another slot relabelled (hnswlib's label lookup keeps the
// last slot it reads with a label, which could be a deleted one).
import { fail, HNSWLIB_HEADER_BYTES as HEADER, loadCapacity, type HnswlibLayout } from '@twinembed/core';

export interface NativeBytes {
  /** The file, in pieces to write one after another. */
  pieces: Uint8Array[];
  /** Labels of the deleted slots as written, so re-adding one revives its own slot. */
  deletedLabels: number[];
}

export function nativeBytes(bytes: Uint8Array, layout: HnswlibLayout): NativeBytes {
  const header = bytes.slice(0, HEADER);
  new DataView(header.buffer).setBigUint64(8, BigInt(loadCapacity(layout)), true);
  const end = HEADER + layout.count * layout.stride;
  const level0 = layout.shadowed.length > 0 ? bytes.slice(HEADER, end) : bytes.subarray(HEADER, end);
  const view = new DataView(level0.buffer, level0.byteOffset, level0.length);
  const labelAt = (slot: number): number => slot * layout.stride + layout.labelOffset;
  let fresh = 0;
  for (const label of layout.slotOfLabel.keys()) fresh = Math.max(fresh, label + 1);
  for (const slot of layout.shadowed) {
    if (fresh > Number.MAX_SAFE_INTEGER) fail('vector-index', `cannot open with hnswlib: expected a free label below 2^53 for deleted element ${slot}, got none`);
    view.setUint32(labelAt(slot), fresh % 0x100000000, true);
    view.setUint32(labelAt(slot) + 4, Math.floor(fresh / 0x100000000), true);
    fresh++;
  }
  const deletedLabels: number[] = [];
  for (let slot = 0; slot < layout.count; slot++) {
    if (layout.deleted[slot]) deletedLabels.push(view.getUint32(labelAt(slot), true) + view.getUint32(labelAt(slot) + 4, true) * 0x100000000);
  }
  return { pieces: [header, level0, bytes.subarray(end)], deletedLabels };
}
