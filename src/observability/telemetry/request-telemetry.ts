/**
 * The chain's RequestObserver when telemetry is on: one SERVER span per governed request with a
 * child span per timed step, the W3C trace context read from `params._meta` and handed to the
 * downstream, and the operation-duration histogram.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type SpanOptions, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { RequestContext, RequestObserver, RequestStep, RequestTrace } from '../../chain/types.js';
import type { AuditRecord } from '../../audit/record.js';
import type { MetricsSink } from '../metrics/sink.js';
import { errorType, methodOf, setEndAttributes, setStartAttributes, spanName } from './mcp-attributes.js';
import { traceMeta } from './trace-meta.js';

const propagator = new W3CTraceContextPropagator();
const META_GETTER: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => (typeof carrier[key] === 'string' ? carrier[key] : undefined),
};

export function requestTelemetry(tracer: Tracer | undefined, metrics: MetricsSink | undefined): RequestObserver {
  return {
    begin(ctx) {
      return tracer === undefined ? new TimedRequest(metrics) : new TracedRequest(tracer, ctx, metrics);
    },
  };
}

/** Metrics only: no spans to keep. */
class TimedRequest implements RequestTrace {
  readonly downstreamMeta = undefined;
  constructor(private readonly metrics: MetricsSink | undefined) {}
  step<T>(_name: RequestStep, work: () => Promise<T>): Promise<T> {
    return work();
  }
  end(ctx: RequestContext, _record: AuditRecord | undefined, answeredAt = performance.now()): void {
    observeDuration(this.metrics, ctx, errorType(ctx), answeredAt);
  }
}

class TracedRequest implements RequestTrace {
  private readonly span: Span;
  /** The server span as a parent; made on the first step, since most requests have one or two. */
  private parent: Context | undefined;
  private current: Span | undefined;

  constructor(private readonly tracer: Tracer, ctx: RequestContext, private readonly metrics: MetricsSink | undefined) {
    const meta = ctx.params['_meta'];
    const remote = meta !== null && typeof meta === 'object' && 'traceparent' in meta ? propagator.extract(ROOT_CONTEXT, meta as Record<string, unknown>, META_GETTER) : undefined;
    // Attributes go on the started span, not through startSpan, which validates and copies them
    // twice (once for the sampler); see setStartAttributes for how they are written.
    this.span = tracer.startSpan(spanName(ctx), { kind: SpanKind.SERVER, startTime: ctx.startedAt }, remote ?? ROOT_CONTEXT);
    setStartAttributes(this.span, ctx);
  }

  get downstreamMeta(): Readonly<Record<string, string>> {
    return traceMeta((this.current ?? this.span).spanContext());
  }

  step<T>(name: RequestStep, work: () => Promise<T>): Promise<T> {
    this.parent ??= trace.setSpan(ROOT_CONTEXT, this.span);
    const child = this.tracer.startSpan(CHILD_NAME[name], name === 'downstream' ? CLIENT : INTERNAL, this.parent);
    const previous = this.current;
    this.current = child;
    const settle = (): void => {
      this.current = previous;
      child.end();
    };
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      failed(child, error);
      settle();
      throw error;
    }
    return running.then(
      (value) => {
        settle();
        return value;
      },
      (error: unknown) => {
        failed(child, error);
        settle();
        throw error;
      },
    );
  }

  end(ctx: RequestContext, record: AuditRecord | undefined, answeredAt = performance.now()): void {
    const error = errorType(ctx);
    setEndAttributes(this.span, ctx, record, error);
    if (error !== undefined) this.span.setStatus({ code: SpanStatusCode.ERROR });
    // A number below the time origin is read by the SDK as a performance.now() time.
    this.span.end(answeredAt);
    observeDuration(this.metrics, ctx, error, answeredAt);
  }
}

/** Constant names: a template per step would build a new string for every child span. */
const CHILD_NAME: Readonly<Record<RequestStep, string>> = { confirm: 'rea.confirm', downstream: 'rea.downstream', 'audit.append': 'rea.audit.append' };
const CLIENT: SpanOptions = Object.freeze({ kind: SpanKind.CLIENT });
const INTERNAL: SpanOptions = Object.freeze({ kind: SpanKind.INTERNAL });

function failed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

function observeDuration(metrics: MetricsSink | undefined, ctx: RequestContext, error: string | undefined, endedAt: number): void {
  metrics?.operation(methodOf(ctx.surface), ctx.server, ctx.surface === 'tool' ? ctx.exposedName : undefined, error, (endedAt - ctx.startedAt) / 1000);
}
