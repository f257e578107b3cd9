// A failed session run as one twinembed error: onnxruntime's message on one line, with the
// provider. The runtimes silence onnxruntime's own log (which would print the same text to stderr
// first, in colour), so this error is the only place the text appears.
import { fail } from '../errors.js';

export function runFailure(cause: unknown, provider: string): never {
  const message = cause instanceof Error ? cause.message : String(cause);
  return fail('runtime', `onnxruntime could not run the model (${provider}): ${message.replace(/\s*\n\s*/g, ' ').trim()}`, cause);
}
