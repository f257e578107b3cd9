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
 * Fine-tuning in auto mode runs on wasm, with this reason shown. conv4's train step now runs on
 * onnxruntime WebGPU (node-webgpu gives node-cpu's losses to 3e-7, and test/browser/fine-tune.test.ts
 * checks a conv encoder's steps on Chromium's WebGPU), but a conv4 step in the page has not been
 * checked against wasm: on the software WebGPU device the browser tests have, it takes seconds per
 * step. Choosing WebGPU explicitly trains on it.
 */
export const AUTO_TRAINS_ON_WASM = 'auto mode fine-tunes on wasm: training this encoder on WebGPU in the browser is not verified yet (choose WebGPU below to try)';

export function trainingRuntimeOptions(choice: ProviderChoice, runtime: Required<WebRuntimeOptions>): { runtime: Required<WebRuntimeOptions>; note?: string } {
  if (choice !== 'auto') return { runtime };
  return { runtime: { ...runtime, executionProviders: ['wasm'] }, note: AUTO_TRAINS_ON_WASM };
}

/** "webgpu", or "wasm (webgpu: why it failed)" when a preferred provider fell back. */
export function describeProvider(info: { executionProvider: string; fallbacks: readonly string[] }): string {
  return info.fallbacks.length === 0 ? info.executionProvider : `${info.executionProvider} (${info.fallbacks.join('; ')})`;
}
