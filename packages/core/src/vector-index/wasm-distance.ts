// SIMD distance kernels (WebAssembly f32x4) for the hnsw graph: plain JS spends ~1 ns per
// dimension on typed-array reads, several times what hnswlib's SSE/AVX loops take. The module is
// ~600 bytes, assembled below instruction by instruction (text form in the comments); where WebAssembly
// SIMD is missing (or the dimension is not a multiple of 4) the graph keeps the JS distances.

export interface WasmKernels {
  memory: WebAssembly.Memory;
  /** 1 − a·b over `n` floats at byte offsets `a` and `b` of `memory`; n a positive multiple of 4. */
  ip(a: number, b: number, n: number): number;
  /** Σ (a − b)² likewise. */
  l2(a: number, b: number, n: number): number;
  /**
   * Distances from the query at byte `q` to the `count` elements whose slots (u32) are at byte
   * `slots`, written as f32 at byte `out`; element s's row is at byte `base + s × stride`.
   */
  ipMany(q: number, slots: number, count: number, out: number, n: number, stride: number, base: number): void;
  l2Many(q: number, slots: number, count: number, out: number, n: number, stride: number, base: number): void;
}

const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22, I32_CONST = 0x41, I32_ADD = 0x6a, I32_SUB = 0x6b, I32_MUL = 0x6c;
const I32_SHL = 0x74, I32_GT_S = 0x4a, I32_EQZ = 0x45, I32_LT_U = 0x49, I32_GE_U = 0x4f, BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], BR_IF_0 = [0x0d, 0], END = 0x0b;
const I32_LOAD = [0x28, 2, 0], F32_STORE = [0x38, 2, 0], I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
const SIMD = 0xfd, F32X4_ADD = [SIMD, 0xe4, 0x01], F32X4_SUB = [SIMD, 0xe5, 0x01], F32X4_MUL = [SIMD, 0xe6, 0x01];
const V128_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];

/** Local indices one distance works with: row pointers a and b, floats left n, v128 acc, acc2 and d. */
interface Locals { a: number; b: number; n: number; acc: number; acc2: number; d: number }
type Accumulate = (l: Locals, acc: number, offset: number) => number[];

const load = (ptr: number, offset: number): number[] => [LOCAL_GET, ptr, SIMD, 0x00, 0x00, offset]; // v128.load offset=…
/** $a += bytes; $b += bytes; $n -= floats */
const step = (l: Locals, bytes: number, floats: number): number[] => [
  LOCAL_GET, l.a, I32_CONST, bytes, I32_ADD, LOCAL_SET, l.a, LOCAL_GET, l.b, I32_CONST, bytes, I32_ADD, LOCAL_SET, l.b, LOCAL_GET, l.n, I32_CONST, floats, I32_SUB, LOCAL_SET, l.n,
];
/** $acc += a[offset…] · b[offset…] lane-wise */
const ipStep: Accumulate = (l, acc, offset) => [LOCAL_GET, acc, ...load(l.a, offset), ...load(l.b, offset), ...F32X4_MUL, ...F32X4_ADD, LOCAL_SET, acc];
/** $d = a − b; $acc += $d · $d lane-wise */
const l2Step: Accumulate = (l, acc, offset) => [LOCAL_GET, acc, ...load(l.a, offset), ...load(l.b, offset), ...F32X4_SUB, LOCAL_TEE, l.d, LOCAL_GET, l.d, ...F32X4_MUL, ...F32X4_ADD, LOCAL_SET, acc];
const lane = (l: Locals, i: number): number[] => [LOCAL_GET, l.acc, SIMD, 0x1f, i]; // f32x4.extract_lane i of $acc
const sum = (l: Locals): number[] => [...lane(l, 0), ...lane(l, 1), 0x92, ...lane(l, 2), 0x92, ...lane(l, 3), 0x92];

/**
 * One distance, left on the stack as an f32 ($acc and $acc2 start at zero):
 * (block (br_if 0 (i32.lt_u $n 8)) (loop ACC($acc, 0) ACC($acc2, 16) step(32, 8) (br_if 0 (i32.ge_u $n 8))))
 * (block (br_if 0 (i32.eqz $n)) (loop ACC($acc, 0) step(16, 4) (br_if 0 $n)))
 * $acc += $acc2; then 1 − Σ lanes (ip) or Σ lanes (l2).
 * Two accumulators over 8 floats a turn halve the add latency chain.
 */
function distance(l: Locals, accumulate: Accumulate, ip: boolean): number[] {
  return [
    ...BLOCK, LOCAL_GET, l.n, I32_CONST, 8, I32_LT_U, ...BR_IF_0,
    ...LOOP, ...accumulate(l, l.acc, 0), ...accumulate(l, l.acc2, 16), ...step(l, 32, 8), LOCAL_GET, l.n, I32_CONST, 8, I32_GE_U, ...BR_IF_0, END, END,
    ...BLOCK, LOCAL_GET, l.n, I32_EQZ, ...BR_IF_0,
    ...LOOP, ...accumulate(l, l.acc, 0), ...step(l, 16, 4), LOCAL_GET, l.n, ...BR_IF_0, END, END,
    LOCAL_GET, l.acc, LOCAL_GET, l.acc2, ...F32X4_ADD, LOCAL_SET, l.acc,
    ...(ip ? [0x43, 0x00, 0x00, 0x80, 0x3f, ...sum(l), 0x93] : sum(l)),
  ];
}

/** (func (param $a i32) (param $b i32) (param $n i32) (result f32) (local v128 v128 v128) DISTANCE) */
function single(accumulate: Accumulate, ip: boolean): number[] {
  return [1, 3, V128, ...distance({ a: 0, b: 1, n: 2, acc: 3, acc2: 4, d: 5 }, accumulate, ip), END];
}

/**
 * (func (param $q $slots $count $out $n $stride $base i32) (local $a $b $k i32) (local $acc $acc2 $d v128)
 *   (block (br_if 0 (i32.eqz $count))
 *     (loop (local.set $a $q) (local.set $b (i32.add $base (i32.mul (i32.load $slots) $stride))) (local.set $k $n)
 *       (local.set $acc 0) (local.set $acc2 0) (f32.store $out DISTANCE)
 *       $slots += 4; $out += 4; $count -= 1; (br_if 0 $count))))
 * Distances from the query at $q to `count` elements whose slots are listed at $slots, into $out.
 */
function many(accumulate: Accumulate, ip: boolean): number[] {
  const l: Locals = { a: 7, b: 8, n: 9, acc: 10, acc2: 11, d: 12 };
  return [
    3, 3, I32, 3, V128, 1, I32,
    ...touchRows(l, 13),
    ...BLOCK, LOCAL_GET, 2, I32_EQZ, ...BR_IF_0, ...LOOP,
    LOCAL_GET, 0, LOCAL_SET, l.a,
    LOCAL_GET, 6, LOCAL_GET, 1, ...I32_LOAD, LOCAL_GET, 5, I32_MUL, I32_ADD, LOCAL_SET, l.b,
    LOCAL_GET, 4, LOCAL_SET, l.n,
    ...V128_ZERO, LOCAL_SET, l.acc, ...V128_ZERO, LOCAL_SET, l.acc2,
    LOCAL_GET, 3, ...distance(l, accumulate, ip), ...F32_STORE,
    ...bump(1, 4), ...bump(3, 4), LOCAL_GET, 2, I32_CONST, 1, I32_SUB, LOCAL_TEE, 2, ...BR_IF_0,
    END, END, END,
  ];
}

const bump = (local: number, by: number): number[] => [LOCAL_GET, local, I32_CONST, ...sleb(by), I32_ADD, LOCAL_SET, local];

/**
 * Loads one 16-byte word per 64-byte line of every listed row, before any distance: the rows are
 * scattered over the index, and independent loads let the CPU fetch them all at once (hnswlib
 * prefetches for the same reason; WebAssembly has no prefetch). The sum goes to $out[0] (later
 * overwritten) so the loads are not dead code.
 * (local.set $a $slots) (local.set $r $count)
 * (block (br_if 0 (i32.eqz $r)) (loop (local.set $b ROW) (local.set $k (i32.shl $n 2))
 *   (loop (local.set $acc (f32x4.add $acc (v128.load $b))) $b += 64 (br_if 0 (i32.gt_s (local.tee $k (i32.sub $k 64)) 0)))
 *   $a += 4 (br_if 0 (local.tee $r (i32.sub $r 1)))))
 * (f32.store $out (f32x4.extract_lane 0 $acc))
 */
function touchRows(l: Locals, r: number): number[] {
  return [
    LOCAL_GET, 1, LOCAL_SET, l.a, LOCAL_GET, 2, LOCAL_SET, r,
    ...BLOCK, LOCAL_GET, r, I32_EQZ, ...BR_IF_0, ...LOOP,
    LOCAL_GET, 6, LOCAL_GET, l.a, ...I32_LOAD, LOCAL_GET, 5, I32_MUL, I32_ADD, LOCAL_SET, l.b,
    LOCAL_GET, 4, I32_CONST, 2, I32_SHL, LOCAL_SET, l.n,
    ...LOOP, LOCAL_GET, l.acc, ...load(l.b, 0), ...F32X4_ADD, LOCAL_SET, l.acc, ...bump(l.b, 64),
    LOCAL_GET, l.n, I32_CONST, ...sleb(64), I32_SUB, LOCAL_TEE, l.n, I32_CONST, 0, I32_GT_S, ...BR_IF_0, END,
    ...bump(l.a, 4), LOCAL_GET, r, I32_CONST, 1, I32_SUB, LOCAL_TEE, r, ...BR_IF_0,
    END, END,
    LOCAL_GET, 3, ...lane(l, 0), ...F32_STORE,
  ];
}

const FUNCTIONS: [string, number, number[]][] = [
  ['ip', 0, single(ipStep, true)], ['l2', 0, single(l2Step, false)],
  ['ipMany', 1, many(ipStep, true)], ['l2Many', 1, many(l2Step, false)],
];

const ascii = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
/** Signed LEB128 for small non-negative constants (64 and up need a second byte). */
function sleb(n: number): number[] {
  return n < 64 ? [n] : [(n & 0x7f) | 0x80, n >> 7];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return out;
}

const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // types: 0 = (i32 i32 i32) → f32, 1 = (i32 × 7) → ()
  ...section(1, [2, 0x60, 3, I32, I32, I32, 1, F32, 0x60, 7, ...new Array<number>(7).fill(I32), 0]),
  ...section(2, [1, ...ascii('env'), ...ascii('memory'), 0x02, 0x00, 0x01]), // import env.memory, min 1 page
  ...section(3, [FUNCTIONS.length, ...FUNCTIONS.map(([, type]) => type)]),
  ...section(7, [FUNCTIONS.length, ...FUNCTIONS.flatMap(([name], i) => [...ascii(name), 0x00, i])]),
  ...section(10, [FUNCTIONS.length, ...FUNCTIONS.flatMap(([, , body]) => [...uleb(body.length), ...body])]),
]);

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(MODULE_BYTES) ? new WebAssembly.Module(MODULE_BYTES) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export const PAGE_BYTES = 65536;

/** Kernels over a fresh memory of at least `bytes`, or undefined where WebAssembly SIMD is unavailable. */
export function createWasmKernels(bytes: number): WasmKernels | undefined {
  const module = wasmModule();
  if (module === null) return undefined;
  try {
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE_BYTES)) });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Omit<WasmKernels, 'memory'>;
    return { memory, ip: exports.ip, l2: exports.l2, ipMany: exports.ipMany, l2Many: exports.l2Many };
  } catch {
    return undefined;
  }
}
