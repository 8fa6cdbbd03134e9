import type { StudioApi } from '../../preload/contract';

declare global {
  interface Window {
    /** Put there by the Electron preload; absent when the renderer runs in a plain browser. */
    studio?: StudioApi;
  }
}

export {};
