// The store needs IndexedDB: where there is none (Node), opening it says so and where to look instead.
// Saving, loading, quotas and reloads are tested in Chromium (test/browser/index-storage.test.ts).
import { expect, test } from 'vitest';
import { openStore } from './open-store.js';

test('without IndexedDB, openStore fails with one clear error', async () => {
  await expect(openStore()).rejects.toThrow(/^\[twinembed:storage\] opening the store: expected IndexedDB \(a browser page or worker\), got none; in Node, save indexes with saveIndex from @twinembed\/node$/);
});
