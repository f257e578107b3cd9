// The manifest's shape is checked field by field before a snapshot's parts are read (the parts,
// checksums and models are tested on real runtimes by snapshot-conformance.ts).
import { expect, test } from 'vitest';
import { checkManifest, type OneShotManifest } from './one-shot-snapshot.js';

const manifest: OneShotManifest = {
  format: 'twinembed-oneshot', version: 1, metric: 'cosine',
  model: { dim: 4, modality: 'image', bytes: 100, crc32: '0badf00d' },
  labels: [{ label: 'a', examples: 2 }, { label: 'b', examples: 1 }],
  parts: { index: { bytes: 10, crc32: '00000001' }, examples: { bytes: 48, crc32: 'ffffffff' } },
};

test('a well-formed manifest passes as it is', () => {
  expect(checkManifest(structuredClone(manifest))).toEqual(manifest);
});

test.each([
  [{ ...manifest, metric: 'ip' }, 'expected metric cosine or euclidean, got "ip"'],
  [{ ...manifest, model: { dim: 0 } }, "expected the model's fingerprint (dim, modality, bytes, crc32), got none"],
  [{ ...manifest, labels: [{ label: 'a', examples: 0 }] }, 'expected labels as [{ label, examples ≥ 1 }], got something else'],
  [{ ...manifest, labels: [{ label: 'a', examples: 1 }, { label: 'a', examples: 1 }] }, 'expected each label once, got a label twice'],
  [{ ...manifest, parts: { index: { bytes: 10, crc32: 'xyz' }, examples: manifest.parts.examples } }, 'expected the size and CRC-32 of the index and the examples, got none'],
  [null, 'expected a manifest with format "twinembed-oneshot", got undefined'],
])('a malformed manifest is refused: %j', (bad, message) => {
  expect(() => checkManifest(bad)).toThrow(`[twinembed:oneshot] cannot restore the one-shot classifier: ${message}`);
});
