/**
 * Span names and attributes per the OpenTelemetry semantic conventions for MCP (span
 * `{mcp.method.name} {target}`, `mcp.*`, `gen_ai.*`, `jsonrpc.request.id`, `error.type`), plus
 * rea's own `rea.*` attributes, set on a request's span.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { AuditRecord } from '../../audit/record.js';
import { isReaError } from '../../errors.js';
import type { RequestContext, Surface } from '../../chain/types.js';

const METHOD: Readonly<Record<Surface, string>> = {
  tool: 'tools/call',
  resource: 'resources/read',
  prompt: 'prompts/get',
  sampling: 'sampling/createMessage',
  elicitation: 'elicitation/create',
  completion: 'completion/complete',
};

export function methodOf(surface: Surface): string {
  return METHOD[surface];
}

/** Tools and prompts name their target; resource URIs stay out of span names (unbounded cardinality). */
export function spanName(ctx: RequestContext): string {
  const method = METHOD[ctx.surface];
  return ctx.surface === 'tool' || ctx.surface === 'prompt' ? `${method} ${ctx.exposedName}` : method;
}

/**
 * The attribute map a request's span is written into. The SDK's `setAttribute` validates every value
 * with a fresh WeakSet and an options object (~80 ns and ~200 bytes each, a dozen per request: issue
 * 13's CPU budget); every value rea sets is a string or a number it built itself, so they go straight
 * into the recording span's own map, the object its exporter reads. A span that does not record
 * (sampled out), or an SDK whose map cannot take them, gets them through `setAttributes` instead.
 */
function attributesOf(span: Span): { readonly target: Attributes; readonly own: boolean } {
  const own = (span as Partial<ReadableSpan>).attributes;
  return own !== undefined && span.isRecording() && Object.isExtensible(own) ? { target: own as Attributes, own: true } : { target: {}, own: false };
}

/** Known when the request enters the chain. */
export function setStartAttributes(span: Span, ctx: RequestContext): void {
  const { target: a, own } = attributesOf(span);
  a['mcp.method.name'] = METHOD[ctx.surface];
  a['mcp.session.id'] = ctx.sessionId;
  a['network.transport'] = 'pipe';
  a['rea.server'] = ctx.server;
  if (ctx.requestId !== undefined) a['jsonrpc.request.id'] = String(ctx.requestId);
  if (ctx.surface === 'tool') {
    a['gen_ai.tool.name'] = ctx.exposedName;
    a['gen_ai.operation.name'] = 'execute_tool';
  } else if (ctx.surface === 'prompt') a['gen_ai.prompt.name'] = ctx.exposedName;
  else if (ctx.surface === 'resource') a['mcp.resource.uri'] = ctx.name;
  if (!own) span.setAttributes(a);
}

/** `error.type` per the conventions: `tool_error` for a tool result with isError (denials included). */
export function errorType(ctx: RequestContext): string | undefined {
  if (ctx.decision.kind === 'deny') return ctx.surface === 'tool' ? 'tool_error' : 'rea.denied';
  if (ctx.outcome === undefined) return ctx.signal.aborted ? 'cancelled' : 'rea.no_outcome';
  if (ctx.outcome.kind === 'error') {
    const error = ctx.outcome.error;
    return isReaError(error) ? error.code : error instanceof Error ? error.name : 'error';
  }
  return ctx.outcome.result['isError'] === true ? 'tool_error' : undefined;
}

/** Known once the outcome record is written. */
export function setEndAttributes(span: Span, ctx: RequestContext, record: AuditRecord | undefined, error: string | undefined): void {
  const { target: a, own } = attributesOf(span);
  a['rea.tier'] = ctx.tier;
  a['rea.decision'] = ctx.decision.kind;
  if (ctx.decision.kind === 'deny') a['rea.deny_code'] = ctx.decision.code;
  if (error !== undefined) a['error.type'] = error;
  if (record?.seq !== undefined) a['rea.audit.seq'] = record.seq;
  if (record !== undefined) a['rea.audit.hash'] = record.hash;
  if (!own) span.setAttributes(a);
}
