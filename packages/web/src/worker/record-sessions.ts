// A Runtime that remembers the sessions it created, so an operation can report which execution
// provider runs its embedder or train step (and why the ones before it failed).
import type { ProviderFailure, Runtime, Session } from '@twinembed/core';

export interface RecordedRuntime {
  runtime: Runtime;
  /** The provider of the last session created, and the failures before it. */
  provider(): { executionProvider: string; fallbacks: string[] };
}

export function recordSessions(runtime: Runtime): RecordedRuntime {
  let last: Session | undefined;
  return {
    runtime: {
      name: runtime.name,
      executionProviders: runtime.executionProviders,
      createSession: async (model, options) => (last = await runtime.createSession(model, options)),
    },
    provider: () => ({ executionProvider: last?.executionProvider ?? 'none', fallbacks: (last?.fallbacks ?? []).map(describeFailure) }),
  };
}

function describeFailure(failure: ProviderFailure): string {
  return `${failure.provider}: ${failure.error.message.split('\n')[0]}`;
}
