import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { buildRecord, GENESIS_HASH, recordLine } from '../../../src/audit/index.js';
import type { AuditInput } from '../../../src/audit/index.js';
import { isNativeCall, nativeCalls } from '../../../src/observability/telemetry/native-calls.js';

function line(input: AuditInput, seq: number) {
  const built = buildRecord({ timestamp: '2026-01-02T03:04:05.000Z', duration_ms: 40, ...input }, GENESIS_HASH, seq, 's');
  return { line: recordLine(built), record: built.record, seq, hash: built.record.hash };
}

describe('native-tool calls from the hooks (issue 13)', () => {
  it('gets a span per native call the shipper delivered, ending at the record time, and none for gateway records', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const emit = nativeCalls(provider.getTracer('test'), undefined);
    emit([
      line({ tool_name: 'Bash', server_name: 'claude-code', surface: 'native', tier: 'destructive', status: 'denied', deny_code: 'blocked_path' }, 0),
      line({ tool_name: 'echo', server_name: 'echo', surface: 'tool', phase: 'outcome' }, 1),
      line({ tool_name: 'rea.gateway.start', server_name: 'rea', phase: 'event' }, 2),
    ]);
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['native Bash']);
    expect(spans[0]!.attributes).toMatchObject({ 'gen_ai.tool.name': 'Bash', 'rea.decision': 'deny', 'rea.deny_code': 'blocked_path', 'rea.audit.seq': 0 });
    expect(spans[0]!.endTime).toEqual([Date.parse('2026-01-02T03:04:05.000Z') / 1000, 0]);
    expect(spans[0]!.startTime).toEqual([Date.parse('2026-01-02T03:04:05.000Z') / 1000 - 1, 960_000_000]);
  });

  it('recognises a native record by its surface or its server name, never a gateway event or intent', () => {
    expect(isNativeCall(line({ tool_name: 'Read', server_name: 'claude-code' }, 0).record)).toBe(true);
    expect(isNativeCall(line({ tool_name: 'Edit', server_name: 'x', surface: 'native' }, 0).record)).toBe(true);
    expect(isNativeCall(line({ tool_name: 'Bash', server_name: 'claude-code', phase: 'intent' }, 0).record)).toBe(false);
    expect(isNativeCall(line({ tool_name: 'rea.hook.start', server_name: 'claude-code' }, 0).record)).toBe(false);
  });
});
