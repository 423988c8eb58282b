/**
 * The chain's RequestObserver when telemetry is on: one SERVER span per governed request with a
 * child span per timed step, the W3C trace context read from `params._meta` and handed to the
 * downstream, and the operation-duration histogram.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { RequestContext, RequestObserver, RequestStep, RequestTrace } from '../../chain/types.js';
import type { AuditRecord } from '../../audit/record.js';
import type { MetricsSink } from '../metrics/sink.js';
import { endAttributes, errorType, methodOf, spanName, startAttributes } from './mcp-attributes.js';

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
  end(ctx: RequestContext, _record: AuditRecord | undefined): void {
    observeDuration(this.metrics, ctx, errorType(ctx));
  }
}

class TracedRequest implements RequestTrace {
  private readonly span: Span;
  private readonly context: Context;
  private current: Span | undefined;

  constructor(private readonly tracer: Tracer, ctx: RequestContext, private readonly metrics: MetricsSink | undefined) {
    const meta = ctx.params['_meta'];
    const parent = meta !== null && typeof meta === 'object' ? propagator.extract(ROOT_CONTEXT, meta as Record<string, unknown>, META_GETTER) : ROOT_CONTEXT;
    this.span = tracer.startSpan(spanName(ctx), { kind: SpanKind.SERVER, startTime: ctx.startedAt, attributes: startAttributes(ctx) }, parent);
    this.context = trace.setSpan(parent, this.span);
  }

  get downstreamMeta(): Readonly<Record<string, string>> {
    const carrier: Record<string, string> = {};
    const span = this.current ?? this.span;
    propagator.inject(trace.setSpan(this.context, span), carrier, { set: (c, k, v) => void (c[k] = v) });
    return carrier;
  }

  async step<T>(name: RequestStep, work: () => Promise<T>): Promise<T> {
    const child = this.tracer.startSpan(name === 'downstream' ? 'rea.downstream' : `rea.${name}`, { kind: name === 'downstream' ? SpanKind.CLIENT : SpanKind.INTERNAL }, this.context);
    const previous = this.current;
    this.current = child;
    try {
      return await work();
    } catch (error) {
      child.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      this.current = previous;
      child.end();
    }
  }

  end(ctx: RequestContext, record: AuditRecord | undefined): void {
    const error = errorType(ctx);
    this.span.setAttributes(endAttributes(ctx, record, error));
    if (error !== undefined) this.span.setStatus({ code: SpanStatusCode.ERROR });
    this.span.end();
    observeDuration(this.metrics, ctx, error);
  }
}

function observeDuration(metrics: MetricsSink | undefined, ctx: RequestContext, error: string | undefined): void {
  metrics?.operation({
    method: methodOf(ctx.surface),
    server: ctx.server,
    ...(ctx.surface === 'tool' ? { tool: ctx.exposedName } : {}),
    ...(error === undefined ? {} : { errorType: error }),
    seconds: (performance.now() - ctx.startedAt) / 1000,
  });
}
