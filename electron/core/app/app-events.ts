import type { EventName, Events } from '../contract.js';

type Listener<E extends EventName> = (payload: Events[E]) => void;

/** The service's typed event stream (the contract's `Events`); main forwards it to the window. */
export class AppEvents {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  /** Subscribes; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Calls every listener; one failing listener does not stop the others. */
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<E>)(payload);
      } catch {
        // A broken listener (e.g. a destroyed window) must not break the service.
      }
    }
  }
}
