import { EventEmitter } from 'node:events';
import type { EventName, StudioEvents } from '../../preload/contract';

/** The core's pushed events, typed by the contract; each shell forwards them to its renderer. */
export class StudioEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open browser tab subscribes once per event name.
    this.emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(event: E, payload: StudioEvents[E]): void {
    this.emitter.emit(event, payload);
  }

  on<E extends EventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
