import { describe, expect, test } from 'vitest';
import { checkExternalLocation, resolveExternalData } from './external-data.js';
import type { ModelProto } from './proto.js';

function modelWithExternal(location: string, length = 8): ModelProto {
  const externalData = [{ key: 'location', value: location }, { key: 'offset', value: '4' }, { key: 'length', value: String(length) }];
  return { opsetImport: [{ domain: '', version: 17 }], graph: { initializer: [{ name: 'w', dataType: 1, dims: [2], dataLocation: 1, externalData }] } };
}

describe('external data locations', () => {
  test.each(['weights.bin', './weights.bin', 'sub/weights.bin', 'sub\\weights.bin', 'a..b.bin'])('accepts %s', (location) => {
    expect(() => checkExternalLocation(location, 'w')).not.toThrow();
  });

  test.each(['../weights.bin', 'sub/../../weights.bin', '/etc/passwd', 'C:\\weights.bin', 'c:weights.bin', '..\\weights.bin', '', 'a\0b'])(
    'refuses %j', (location) => {
      expect(() => checkExternalLocation(location, 'w')).toThrow(/expected a relative path inside the model's folder/);
    },
  );

  test('every location is checked before anything is read', async () => {
    const model = modelWithExternal('../secret.bin');
    const reads: string[] = [];
    await expect(resolveExternalData(model, (ref) => (reads.push(ref.location), new Uint8Array(8)))).rejects.toThrow(/escapes/);
    expect(reads).toEqual([]);
  });

  test('the bytes move into raw_data and the tensor stops being external', async () => {
    const model = modelWithExternal('weights.bin');
    await resolveExternalData(model, (ref) => {
      expect(ref).toEqual({ location: 'weights.bin', offset: 4, length: 8 });
      return new Uint8Array(new Float32Array([1.5, -2]).buffer);
    });
    const tensor = model.graph!.initializer![0]!;
    expect(tensor).toMatchObject({ dataLocation: 0, externalData: [] });
    expect(Array.from(new Float32Array(new Uint8Array(tensor.rawData!).buffer))).toEqual([1.5, -2]);
  });

  test('a short read is refused', async () => {
    await expect(resolveExternalData(modelWithExternal('weights.bin'), () => new Uint8Array(3))).rejects.toThrow(/expected 8 bytes at offset 4, got 3/);
  });

  test('a stated length other than the dims call for is refused before anything is read', async () => {
    const reads: unknown[] = [];
    await expect(resolveExternalData(modelWithExternal('weights.bin', 2 ** 40), (ref) => (reads.push(ref), new Uint8Array(0)))).rejects.toThrow(
      /tensor "w" external data in "weights.bin": expected a length of 8 bytes for float32 \[2\], got 1099511627776/,
    );
    expect(reads).toEqual([]);
  });

  test('without a length, exactly the bytes the dims call for are read (not the rest of the file)', async () => {
    const model = modelWithExternal('weights.bin');
    const tensor = model.graph!.initializer![0]!;
    tensor.externalData = tensor.externalData!.filter((e) => e.key !== 'length');
    const refs: unknown[] = [];
    await resolveExternalData(model, (ref) => (refs.push(ref), new Uint8Array(8)));
    expect(refs).toEqual([{ location: 'weights.bin', offset: 4, length: 8 }]);
  });

  test('dims that no file could back are refused before reading', async () => {
    const model = modelWithExternal('weights.bin');
    model.graph!.initializer![0]!.dims = [2 ** 30, 2 ** 30];
    await expect(resolveExternalData(model, () => new Uint8Array(0))).rejects.toThrow(/expected dims of integers ≥ 0 with a product below 2\^53/);
  });
});

