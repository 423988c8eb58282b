/**
 * Spans and metrics for Claude Code's native tools (Bash, Read, Write, …). Their hooks are short
 * processes that only append audit records (no SDK, so they stay fast); the audit shipper reads
 * those records anyway, and turns each native call it delivered into a span and into the counters.
 */
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { AuditRecord } from '../../audit/record.js';
import type { ChainLine } from '../../audit/shipper/record-follower.js';
import { countRecord } from '../metrics/record-metrics.js';
import type { MetricsSink } from '../metrics/sink.js';

/** Server names the native channel writes under (the hooks' own records, issue 10). */
const NATIVE_SERVERS: ReadonlySet<string> = new Set(['claude-code', 'native']);

/** A record of a native tool call: the hooks mark it with surface `native` or a native server name. */
export function isNativeCall(record: AuditRecord): boolean {
  if (record.phase === 'event' || record.phase === 'intent' || record.tool_name.startsWith('rea.')) return false;
  return record.surface === 'native' || NATIVE_SERVERS.has(record.server_name);
}

export function nativeCalls(tracer: Tracer | undefined, metrics: MetricsSink | undefined): (lines: readonly ChainLine[]) => void {
  return (lines) => {
    for (const { record } of lines) {
      if (record === undefined || !isNativeCall(record)) continue;
      if (metrics !== undefined) countRecord(metrics, record);
      if (tracer === undefined) continue;
      const end = Date.parse(record.timestamp);
      if (Number.isNaN(end)) continue;
      const span = tracer.startSpan(`native ${record.tool_name}`, {
        kind: SpanKind.INTERNAL,
        startTime: new Date(end - Math.max(0, record.duration_ms)),
        attributes: {
          'gen_ai.tool.name': record.tool_name,
          'gen_ai.operation.name': 'execute_tool',
          'rea.server': record.server_name,
          'rea.tier': record.tier,
          'rea.decision': record.status === 'denied' ? 'deny' : 'allow',
          ...(record.deny_code === undefined ? {} : { 'rea.deny_code': record.deny_code }),
          ...(record.seq === undefined ? {} : { 'rea.audit.seq': record.seq }),
          'rea.audit.hash': record.hash,
          'mcp.session.id': record.session_id,
        },
      });
      if (record.status !== 'allowed') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(new Date(end));
    }
  };
}
