/**
 * A real OTLP/HTTP receiver on loopback for tests: it accepts `/v1/logs`, `/v1/traces` and
 * `/v1/metrics` in both `http/json` and `http/protobuf`, keeps what arrived in arrival order, and
 * can refuse (any status) or be stopped and started again on the same port, like a collector outage.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeMessage, hex, messages, text, type WireField } from './protobuf-wire.js';

export interface ReceivedLog {
  readonly body: unknown;
  readonly attributes: Record<string, unknown>;
  readonly encoding: 'json' | 'protobuf';
}

export interface ReceivedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly attributes: Record<string, unknown>;
}

export class OtlpReceiver {
  readonly logs: ReceivedLog[] = [];
  readonly spans: ReceivedSpan[] = [];
  readonly metricNames = new Set<string>();
  /** Every request: path, content type and the status answered. */
  readonly requests: { path: string; contentType: string; status: number }[] = [];
  /** While set, every request is answered with this status and nothing is kept. */
  refuseWith: number | undefined;
  /** While set, requests get no answer until `release()`: a slow collector. */
  hold = false;
  private held: (() => void)[] = [];
  /** Only these content types are accepted (415 otherwise). */
  accepts: readonly string[] = ['application/json', 'application/x-protobuf'];
  private server: Server | undefined;
  private port = 0;

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stops listening and drops open connections: the collector is down. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.release();
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Requests waiting for an answer while `hold` is set. */
  get pending(): number {
    return this.held.length;
  }

  /** Answers every held request (and stops holding). */
  release(): void {
    this.hold = false;
    for (const answer of this.held.splice(0)) answer();
  }

  /** Distinct log bodies by the hash attribute, in first-arrival order. */
  uniqueBodies(): string[] {
    const seen = new Set<unknown>();
    return this.logs.filter((l) => !seen.has(l.attributes['rea.audit.hash']) && seen.add(l.attributes['rea.audit.hash'])).map((l) => String(l.body));
  }

  /** Every body that arrived, duplicates included, as JSON lines: what a collector's file exporter keeps. */
  writeDump(file: string): void {
    writeFileSync(file, this.logs.map((l) => `${String(l.body)}\n`).join(''));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const path = req.url ?? '';
    const status = this.refuseWith ?? (this.accepts.includes(contentType) ? 200 : 415);
    this.requests.push({ path, contentType, status });
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`refused (${status})`);
      return;
    }
    const isJson = contentType === 'application/json';
    if (path === '/v1/logs') this.logs.push(...(isJson ? jsonLogs(JSON.parse(body.toString('utf8'))) : protobufLogs(body)));
    else if (path === '/v1/traces') this.spans.push(...(isJson ? jsonSpans(JSON.parse(body.toString('utf8'))) : protobufSpans(body)));
    else if (path === '/v1/metrics') (isJson ? jsonMetricNames(JSON.parse(body.toString('utf8'))) : protobufMetricNames(body)).forEach((n) => this.metricNames.add(n));
    if (isJson) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  }
}

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

function jsonValue(v: Json | undefined): unknown {
  if (v === undefined) return undefined;
  if ('stringValue' in v) return v['stringValue'];
  if ('intValue' in v) return Number(v['intValue']);
  if ('doubleValue' in v) return v['doubleValue'];
  if ('boolValue' in v) return v['boolValue'];
  return v;
}

function jsonAttributes(attrs: unknown): Record<string, unknown> {
  return Object.fromEntries(list(attrs).map((kv) => [String(kv['key']), jsonValue(kv['value'] as Json | undefined)]));
}

function jsonLogs(request: Json): ReceivedLog[] {
  return list(request['resourceLogs']).flatMap((rl) =>
    list(rl['scopeLogs']).flatMap((sl) =>
      list(sl['logRecords']).map((r) => ({ body: jsonValue(r['body'] as Json | undefined), attributes: jsonAttributes(r['attributes']), encoding: 'json' as const })),
    ),
  );
}

function jsonSpans(request: Json): ReceivedSpan[] {
  return list(request['resourceSpans']).flatMap((rs) =>
    list(rs['scopeSpans']).flatMap((ss) =>
      list(ss['spans']).map((s) => ({
        name: String(s['name']),
        traceId: String(s['traceId'] ?? ''),
        spanId: String(s['spanId'] ?? ''),
        parentSpanId: String(s['parentSpanId'] ?? ''),
        attributes: jsonAttributes(s['attributes']),
      })),
    ),
  );
}

function jsonMetricNames(request: Json): string[] {
  return list(request['resourceMetrics']).flatMap((rm) => list(rm['scopeMetrics']).flatMap((sm) => list(sm['metrics']).map((m) => String(m['name']))));
}

// opentelemetry-proto field numbers: AnyValue 1 string, 2 bool, 3 int, 4 double; KeyValue 1 key, 2 value.
function protoValue(fields: WireField[] | undefined): unknown {
  if (fields === undefined) return undefined;
  const s = text(fields, 1);
  if (s !== undefined) return s;
  const f = fields[0];
  if (f?.field === 2) return f.varint === 1n;
  if (f?.field === 3) return Number(BigInt.asIntN(64, f.varint ?? 0n));
  if (f?.field === 4) return f.fixed?.readDoubleLE(0);
  return undefined;
}

function protoAttributes(fields: WireField[], field: number): Record<string, unknown> {
  return Object.fromEntries(messages(fields, field).map((kv) => [text(kv, 1) ?? '', protoValue(messages(kv, 2)[0])]));
}

// ExportLogsServiceRequest 1 → ResourceLogs 2 → ScopeLogs 2 → LogRecord (5 body, 6 attributes).
function protobufLogs(body: Buffer): ReceivedLog[] {
  return messages(decodeMessage(body), 1).flatMap((rl) =>
    messages(rl, 2).flatMap((sl) =>
      messages(sl, 2).map((r) => ({ body: protoValue(messages(r, 5)[0]), attributes: protoAttributes(r, 6), encoding: 'protobuf' as const })),
    ),
  );
}

// ExportTraceServiceRequest 1 → ResourceSpans 2 → ScopeSpans 2 → Span (1 trace_id, 2 span_id, 4 parent, 5 name, 9 attributes).
function protobufSpans(body: Buffer): ReceivedSpan[] {
  return messages(decodeMessage(body), 1).flatMap((rs) =>
    messages(rs, 2).flatMap((ss) =>
      messages(ss, 2).map((s) => ({
        name: text(s, 5) ?? '',
        traceId: hex(s, 1) ?? '',
        spanId: hex(s, 2) ?? '',
        parentSpanId: hex(s, 4) ?? '',
        attributes: protoAttributes(s, 9),
      })),
    ),
  );
}

// ExportMetricsServiceRequest 1 → ResourceMetrics 2 → ScopeMetrics 2 → Metric (1 name).
function protobufMetricNames(body: Buffer): string[] {
  return messages(decodeMessage(body), 1).flatMap((rm) => messages(rm, 2).flatMap((sm) => messages(sm, 2).map((m) => text(m, 1) ?? '')));
}
