// One error type for the whole SDK, so callers (and the CLI) can tell our errors from bugs.
// Messages follow `[twinembed:area] what failed: expected X, got Y (context)`.

export class TwinembedError extends Error {
  readonly area: string;
  constructor(area: string, message: string, options?: { cause?: unknown }) {
    super(`[twinembed:${area}] ${message}`, options);
    this.name = 'TwinembedError';
    this.area = area;
  }
}

/** Throws a TwinembedError; typed `never` so it can end an expression. */
export function fail(area: string, message: string, cause?: unknown): never {
  throw new TwinembedError(area, message, cause === undefined ? undefined : { cause });
}

/** Internal invariant: a failure here is a bug in twinembed, not in the caller's input. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`[twinembed:internal] ${message}`);
}
