// Which onnxruntime-web build the preview's workers load: the WASM-only build for the WASM backend
// (a 14 MB WebAssembly module), the WebGPU build (27 MB, also holding the WASM provider) only when a
// run uses WebGPU. Compiling the module is the browser's largest one-off cost of an analysis — the
// bigger build took ~11 s of CPU in headless Chromium on this 2-core machine. Returns the module.
import type { Backend } from './protocol';

export type Ort = typeof import('onnxruntime-web');

export function loadOrt(backend: Backend): Promise<Ort> {
  return backend === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm');
}
