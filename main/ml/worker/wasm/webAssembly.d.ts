// Node has WebAssembly as a global, but TypeScript declares it only in its DOM and WebWorker
// libraries, which would give every Node file `document` and `window`. Declared here: the part
// of the JS API (https://webassembly.github.io/spec/js-api/) the studio's heap modules use.
declare namespace WebAssembly {
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(delta: number): number;
  }
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
