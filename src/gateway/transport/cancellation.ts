import type { Cancellation } from '../../chain/types.js';
import { ReaError } from '../../errors.js';

/**
 * A tools/call's cancellation, as cheap as the call that is never cancelled (nearly all of them): an
 * AbortController costs ~2.5 µs and an event-target map per request here, and a listener added to
 * it more. The listeners are plain functions in a list; the AbortSignal that SDK calls need
 * (elicitation, task requests) is made on first use, already aborted if the request was.
 */
export class RequestCancellation implements Cancellation {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] | undefined;
  private controller: AbortController | undefined;

  /** Like an AbortSignal's: a listener added after the abort is never called. */
  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    const listeners = (this.listeners ??= []);
    if (!listeners.includes(listener)) listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners?.splice(i, 1);
  }

  /** Aborts once; the reason defaults to the AbortError an AbortController would give. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    this.controller?.abort(this.reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) {
      try {
        listener();
      } catch (error) {
        // As an AbortSignal reports a throwing listener: to the process, not to the one aborting.
        process.nextTick(() => {
          throw error;
        });
      }
    }
  }

  /** A real AbortSignal that follows this cancellation, for APIs that need one. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}

/** The AbortSignal behind a request's cancellation, for the SDK calls that take one. */
export function abortSignalOf(cancellation: Cancellation): AbortSignal {
  if (cancellation instanceof AbortSignal) return cancellation;
  if (cancellation instanceof RequestCancellation) return cancellation.signal;
  throw new ReaError('INTERNAL', 'A request cancellation is neither an AbortSignal nor a RequestCancellation');
}

/** A handler's cancellation: the cheap one the direct path made (direct-requests.ts), else the SDK's signal. */
export function cancellationOf(extra: { readonly signal: AbortSignal; readonly cancellation?: Cancellation }): Cancellation {
  return extra.cancellation ?? extra.signal;
}
