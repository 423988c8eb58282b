/**
 * A request's spans as the SDK exports them (issue 13): attributes are written straight into the
 * recording span's map for speed, so these hold the exported result to the conventions, and hold
 * the path for spans that do not record; and the sampler to the SDK's default.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { AlwaysOnSampler, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/audit/record.js';
import type { RequestContext } from '../../../src/chain/types.js';
import { requestTelemetry } from '../../../src/observability/telemetry/request-telemetry.js';
import { followParent } from '../../../src/observability/telemetry/sampler.js';

let provider: TracerProvider | undefined;
afterEach(async () => {
  await provider?.shutdown();
  provider = undefined;
});

function traced() {
  const exporter = new InMemorySpanExporter();
  provider = new TracerProvider({ sampler: followParent, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return { exporter, observer: requestTelemetry(provider.getTracer('test'), undefined) };
}

/** The fields the telemetry reads, as the gateway fills them. */
function request(fields: Partial<RequestContext> = {}): RequestContext {
  return {
    sessionId: 'session-1',
    surface: 'tool',
    server: 'fs',
    name: 'read',
    exposedName: 'fs__read',
    params: {},
    requestId: 7,
    startedAt: performance.now(),
    tier: 'read',
    decision: { kind: 'allow' },
    signal: new AbortController().signal,
    ...fields,
  } as RequestContext;
}

const record = { seq: 41, hash: 'a'.repeat(64) } as AuditRecord;

describe('request spans (issue 13)', () => {
  it('end when the answer left, not when a relaxed record was written after it', async () => {
    const { exporter, observer } = traced();
    const ctx = request();
    const trace = observer.begin(ctx);
    const answeredAt = performance.now();
    // A real gap, not a signal to wait for: the SDK reads a numeric end time as a performance.now()
    // time only when it is not in the future, so the end must be earlier than the call by real time.
    await new Promise((resolve) => setTimeout(resolve, 30));
    trace.end(ctx, record, answeredAt);
    const [span] = exporter.getFinishedSpans();
    const endMs = span!.endTime[0] * 1000 + span!.endTime[1] / 1e6;
    // Clock conversions differ by well under a millisecond or two; the record came 30 ms later.
    expect(Math.abs(endMs - (performance.timeOrigin + answeredAt))).toBeLessThan(10);
  });

  it('export the MCP convention and rea attributes on the server span, with a child per timed step', async () => {
    const { exporter, observer } = traced();
    const ctx = request();
    const trace = observer.begin(ctx);
    let meta: Readonly<Record<string, string>> | undefined;
    await trace.step('downstream', async () => {
      meta = trace.downstreamMeta;
      return {};
    });
    await trace.step('audit.append', async () => record);
    ctx.outcome = { kind: 'result', result: { isError: true } };
    trace.end(ctx, record);

    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.kind === SpanKind.SERVER);
    expect(server?.name).toBe('tools/call fs__read');
    expect(server?.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'mcp.session.id': 'session-1',
      'network.transport': 'pipe',
      'rea.server': 'fs',
      'jsonrpc.request.id': '7',
      'gen_ai.tool.name': 'fs__read',
      'gen_ai.operation.name': 'execute_tool',
      'rea.tier': 'read',
      'rea.decision': 'allow',
      'error.type': 'tool_error',
      'rea.audit.seq': 41,
      'rea.audit.hash': 'a'.repeat(64),
    });
    expect(server?.status.code).toBe(SpanStatusCode.ERROR);
    const downstream = spans.find((s) => s.name === 'rea.downstream');
    const append = spans.find((s) => s.name === 'rea.audit.append');
    expect(downstream?.kind).toBe(SpanKind.CLIENT);
    expect(downstream?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(append?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(meta?.['traceparent']).toBe(`00-${server?.spanContext().traceId}-${downstream?.spanContext().spanId}-01`);
  });

  it('sets the denial code, and the resource URI for resources/read', () => {
    const { exporter, observer } = traced();
    const ctx = request({ surface: 'resource', name: 'file:///etc/hosts', exposedName: 'file:///etc/hosts', requestId: undefined, decision: { kind: 'deny', code: 'blocked_path', stage: 'blocked-paths', reason: 'no' } });
    observer.begin(ctx).end(ctx, record);

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('resources/read');
    expect(span?.attributes).toMatchObject({ 'mcp.method.name': 'resources/read', 'mcp.resource.uri': 'file:///etc/hosts', 'rea.decision': 'deny', 'rea.deny_code': 'blocked_path', 'error.type': 'rea.denied' });
    expect(span?.attributes).not.toHaveProperty('jsonrpc.request.id');
  });

  it('records nothing, and still answers, when the client says its trace is not sampled', async () => {
    const { exporter, observer } = traced();
    const ctx = request({ params: { _meta: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' } } });
    const trace = observer.begin(ctx);
    const answer = await trace.step('downstream', async () => trace.downstreamMeta);
    ctx.outcome = { kind: 'result', result: {} };
    trace.end(ctx, record);

    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(answer?.['traceparent']).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
  });
});

describe('the span sampler (issue 13)', () => {
  it('decides as the SDK default, parent-based always-on, for every kind of parent', () => {
    const sdk = new ParentBasedSampler({ root: new AlwaysOnSampler() });
    const ids = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
    const parents: (SpanContext | undefined)[] = [undefined];
    for (const isRemote of [true, false]) {
      for (const traceFlags of [TraceFlags.SAMPLED, TraceFlags.NONE]) parents.push({ ...ids, traceFlags, isRemote });
      parents.push({ traceId: '0'.repeat(32), spanId: ids.spanId, traceFlags: TraceFlags.NONE, isRemote }); // invalid: treated as no parent
    }
    for (const parent of parents) {
      const context = parent === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, parent);
      const decide = (sampler: typeof followParent) => sampler.shouldSample(context, ids.traceId, 'tools/call x', SpanKind.SERVER, {}, []).decision;
      expect(decide(followParent), JSON.stringify(parent)).toBe(decide(sdk));
    }
  });
});
