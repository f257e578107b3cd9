// How the worker runs onnxruntime-web for this page: providers from the `?ep=` query (auto: WebGPU
// when the browser has it, else wasm), wasm threads when the page is cross-origin isolated, and
// onnxruntime-web's files from this origin (absolute, since the worker's base URL differs).
import type { WebExecutionProvider, WebRuntimeOptions } from '@twinembed/web';

export const PROVIDER_CHOICES = ['auto', 'wasm', 'webgpu'] as const;
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number];

const PROVIDERS: Record<ProviderChoice, WebExecutionProvider[]> = { auto: ['webgpu', 'wasm'], wasm: ['wasm'], webgpu: ['webgpu'] };

export function providerChoice(search = location.search): ProviderChoice {
  const wanted = new URLSearchParams(search).get('ep') ?? 'auto';
  return (PROVIDER_CHOICES as readonly string[]).includes(wanted) ? (wanted as ProviderChoice) : 'auto';
}

export function runtimeOptions(choice: ProviderChoice): Required<WebRuntimeOptions> {
  // Threads need SharedArrayBuffer, which browsers give only to cross-origin-isolated pages.
  const numThreads = crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  return { executionProviders: PROVIDERS[choice], numThreads, wasmPaths: new URL('ort/', document.baseURI).href };
}

/**
 * Fine-tuning in auto mode runs on wasm, with this reason shown: the conv encoder's train step does
 * not train correctly on onnxruntime-web 1.30's WebGPU provider yet (seen here: a 9-input Concat of
 * the conv weight gradient exceeds the 8 storage buffers per shader stage it asks the device for,
 * and with that avoided the first update still collapses the embeddings; test/browser/fine-tune.test.ts
 * notes the MaxPool gradient too). Choosing WebGPU explicitly trains on it anyway.
 */
export const AUTO_TRAINS_ON_WASM = 'auto mode fine-tunes on wasm: onnxruntime-web\'s WebGPU kernels do not train the conv encoder correctly yet (choose WebGPU below to try)';

export function trainingRuntimeOptions(choice: ProviderChoice, runtime: Required<WebRuntimeOptions>): { runtime: Required<WebRuntimeOptions>; note?: string } {
  if (choice !== 'auto') return { runtime };
  return { runtime: { ...runtime, executionProviders: ['wasm'] }, note: AUTO_TRAINS_ON_WASM };
}

/** "webgpu", or "wasm (webgpu: why it failed)" when a preferred provider fell back. */
export function describeProvider(info: { executionProvider: string; fallbacks: readonly string[] }): string {
  return info.fallbacks.length === 0 ? info.executionProvider : `${info.executionProvider} (${info.fallbacks.join('; ')})`;
}
