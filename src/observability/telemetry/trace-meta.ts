/**
 * The W3C trace context a downstream receives in `_meta`: `traceparent` (version 00) and, when the
 * trace has one, `tracestate`. Written straight from the span context: the propagator's inject needs
 * a Context built around the span first, an allocation on every forwarded call (issue 13's CPU
 * budget). The unit test holds this to the SDK's W3CTraceContextPropagator output.
 */
import type { SpanContext } from '@opentelemetry/api';

export function traceMeta(span: SpanContext): Readonly<Record<string, string>> {
  const traceparent = `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, '0')}`;
  return span.traceState === undefined ? { traceparent } : { traceparent, tracestate: span.traceState.serialize() };
}
