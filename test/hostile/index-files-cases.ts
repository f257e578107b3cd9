// The crafted index files of issue 14 (must-fix 1, 2 and 7), each with a valid checksum and the
// refusal it must get from every backend. Made from a valid HNSW bundle with upper layers.
import { HEADER, setDeleted, setField, setLabel, withPayload, withSidecar, type PayloadMap } from './index-files-craft.js';

export interface HostileCase {
  name: string;
  bytes: Uint8Array;
  /** What the one-line refusal must say. */
  message: RegExp;
}

const level0 = (map: PayloadMap, slot: number) => HEADER + slot * map.stride;

/** A slot on layer ≥ 1, and one on layer 0 only. */
function slots(map: PayloadMap): { high: number; low: number } {
  const high = map.levels.findIndex((l) => l >= 1), low = map.levels.findIndex((l) => l === 0);
  if (high < 0 || low < 0) throw new Error('the fixture needs elements on layer 1 and elements on layer 0 only');
  return { high, low };
}

export function payloadCases(valid: Uint8Array): HostileCase[] {
  const edit = (name: string, message: RegExp, change: (view: DataView, map: PayloadMap) => void): HostileCase => ({ name, message, bytes: withPayload(valid, change) });
  return [
    edit('a level-0 link past the last element', /expected links to elements on layer 0, got 1000200 \(element 0\)/, (v, m) => v.setUint32(level0(m, 0) + 4, m.count + 1000000, true)),
    edit('a level-0 link count of 65535', /expected at most \d+ links, got 65535 \(element 3, layer 0\)/, (v, m) => v.setUint16(level0(m, 3), 0xffff, true)),
    edit('an upper-layer link to an element that is not on that layer', /expected links to elements on layer 1, got \d+ \(element \d+\)/, (v, m) => {
      const { high, low } = slots(m);
      v.setUint16(m.upper(high, 1), 1, true);
      v.setUint32(m.upper(high, 1) + 4, low, true);
    }),
    edit('an upper-layer link count above M', /expected at most 4 links, got 9 \(element \d+, layer 1\)/, (v, m) => v.setUint16(m.upper(slots(m).high, 1), 9, true)),
    edit('an entry point past the last element', /expected an entry point inside the index, got entry 207/, (v) => setField(v, 'entry', 207)),
    edit('an entry point below the top layer', /expected the entry point on the top layer \d+, got layer 0/, (v, m) => setField(v, 'entry', slots(m).low)),
    edit('a max level of 2^31 − 1', /expected the entry point on the top layer 2147483647/, (v) => setField(v, 'maxLevel', 0x7fffffff)),
    edit('a max level of −5', /expected an entry point inside the index, got entry \d+, max level -5/, (v) => setField(v, 'maxLevel', -5)),
    edit('a max level below the levels held', /expected levels ≤ 0, got \d+ at element \d+/, (v) => setField(v, 'maxLevel', 0)),
    edit('an element count of 2^27 in a small file', /expected at most \d+ elements in \d+ bytes, got a header claiming 134217728/, (v) => {
      setField(v, 'capacity', 2 ** 27);
      setField(v, 'count', 2 ** 27);
    }),
    edit('an element count of 2^64 − 1', /expected a plausible header, got 18446744073709551615 at byte 16/, (v) => setField(v, 'count', -1n)),
    edit('max elements of 2^40', /expected max elements below 2\^32/, (v) => setField(v, 'capacity', 2 ** 40)),
    edit('a level multiplier of 1e300', /expected a level multiplier in \(0, 1\.4427\], got 1e\+300/, (v) => setField(v, 'mult', 1e300)),
    edit('an efConstruction of 0', /expected efConstruction from M 4 to 2\^32 − 1, got 0/, (v) => setField(v, 'efConstruction', 0)),
    edit('maxM0 that does not match the element size', /expected offsetData \d+, got \d+/, (v) => setField(v, 'maxM0', 60)),
    edit('a NaN in a stored vector', /expected finite vectors, got NaN \(element 5, column 2\)/, (v, m) => v.setFloat32(level0(m, 5) + m.offsetData + 8, NaN, true)),
    edit('two live elements with one label', /expected each label on one element, got label 0 on elements 0 and 1/, (v, m) => setLabel(v, m, 1, 0)),
    edit('a label above 2^53', /expected labels below 2\^53, got 9007199254740992 \(element 4\)/, (v, m) => setLabel(v, m, 4, 2 ** 53)),
    edit('an upper-layer list of 5 bytes', /expected a multiple of 20 bytes of lists for element 0 within the data, got 5/, (v, m) => v.setUint32(HEADER + m.count * m.stride, 5, true)),
  ];
}

/** Item 7: the sidecar's ids out of step with the payload, or inconsistent in themselves. */
export function sidecarCases(valid: Uint8Array): HostileCase[] {
  const edit = (name: string, message: RegExp, change: (s: ReturnType<typeof JSON.parse>) => unknown): HostileCase => ({ name, message, bytes: withSidecar(valid, change) });
  const drop = (s: { ids: Record<string, unknown[]> }) => Object.values(s.ids).forEach((list) => list.pop());
  return [
    edit('an id list one short of the payload', /expected one id per live vector, got 199 ids for 200 vectors/, drop),
    edit('an id list naming a label the payload does not hold', /expected id 0's label 1000000 on a live vector, got no vector with it/, (s) => void (s.ids.labels[0] = 1000000)),
    edit('the same id twice', /expected each id once in the id list, got 0 twice/, (s) => void (s.ids.ids[1] = s.ids.ids[0])),
    edit('the same label twice', /expected each label once in the id list, got 0 twice/, (s) => void (s.ids.labels[1] = s.ids.labels[0])),
    edit('ids null', /expected sidecar ids with labels, ids and metadata lists, got null/, (s) => void (s.ids = null)),
    edit('lists of different lengths', /expected labels, ids and metadata of one length, got 200, 200, 199/, (s) => void s.ids.metadata.pop()),
    edit('an id that is an object', /expected ids to be strings or finite numbers, got \{"x":1\} \(entry 2\)/, (s) => void (s.ids.ids[2] = { x: 1 })),
    edit('metadata that is a number', /expected metadata to be an object or null, got 7 \(id 3\)/, (s) => void (s.ids.metadata[3] = 7)),
    edit('a dimension of 2^20', /expected a dimension up to 65536, got 1048576/, (s) => void (s.dim = 2 ** 20)),
    edit('an M other than the payload\'s', /expected the payload's M to be the sidecar's 5, got 4/, (s) => void (s.M = 5)),
    edit('an unknown backend', /expected a sidecar naming a backend \(flat, hnsw, hnswlib\), got "faiss"/, (s) => void (s.backend = 'faiss')),
    {
      name: 'a live id whose vector is marked deleted',
      message: /expected one id per live vector, got 200 ids for 199 vectors/,
      bytes: withPayload(valid, (v, m) => setDeleted(v, m, 9)),
    },
  ];
}

/** Flat files: the payload must hold exactly one finite row per id. */
export function flatCases(valid: Uint8Array): HostileCase[] {
  return [
    {
      name: 'a flat id list one longer than its rows',
      message: /expected 201 × 8 float32 values \(6432 bytes\) for the 201 ids, got 6400 bytes/,
      bytes: withSidecar(valid, (s) => {
        s.ids.labels.push(9999);
        s.ids.ids.push('extra');
        s.ids.metadata.push(null);
      }),
    },
    { name: 'a flat index with an id twice', message: /expected each id once in the id list, got 5 twice/, bytes: withSidecar(valid, (s) => void (s.ids.ids[6] = 5)) },
    { name: 'a flat index of dimension 2^20 and no rows', message: /expected a dimension up to 65536, got 1048576/, bytes: withSidecar(valid, (s) => ({ ...s, dim: 2 ** 20, ids: { labels: [], ids: [], metadata: [] } })) },
  ];
}
