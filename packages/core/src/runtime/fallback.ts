// Execution-provider fallback shared by every runtime: try the preferred providers in order,
// keep every failure, and report them together (on success as `fallbacks`, on failure in the error).
import { fail } from '../errors.js';
import type { ProviderFailure } from './runtime.js';

/** Validates a provider list once, at the runtime's construction. */
export function checkProviders(requested: readonly string[] | undefined, supported: readonly string[], runtime: string): string[] {
  const list = [...(requested ?? [])];
  if (list.length === 0) fail('runtime', `${runtime} executionProviders: expected a non-empty list drawn from ${supported.join(', ')}, got []`);
  for (const p of list) {
    if (typeof p !== 'string' || !supported.includes(p)) {
      fail('runtime', `${runtime} execution provider ${JSON.stringify(p)} is unknown: expected one of ${supported.join(', ')}`);
    }
  }
  return list;
}

export interface FirstAvailable<T> {
  value: T;
  provider: string;
  failures: ProviderFailure[];
}

export async function firstAvailable<T>(providers: readonly string[], attempt: (provider: string) => Promise<T>): Promise<FirstAvailable<T>> {
  const failures: ProviderFailure[] = [];
  for (const provider of providers) {
    try {
      return { value: await attempt(provider), provider, failures };
    } catch (cause) {
      failures.push({ provider, error: cause instanceof Error ? cause : new Error(String(cause)) });
    }
  }
  const summary = failures.map((f) => `${f.provider}: ${firstLine(f.error.message)}`).join('; ');
  const only = providers.length === 1 ? ` (only ${providers[0]} was requested)` : '';
  return fail('runtime', `no execution provider could create the session${only}: ${summary}`, new AggregateError(failures.map((f) => f.error)));
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
