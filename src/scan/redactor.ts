/**
 * Secret redaction for every string rea emits or stores (THREAT_MODEL.md, secret leakage). Compiled
 * once per policy; each call scans built-in patterns (prefiltered by keyword), user patterns, the
 * exact values the gateway injected into children, and base64 runs that decode to a secret.
 * Records say where and which pattern, never the value.
 */
import { mergeRanges, type MatchRange } from './bounded-match.js';
import { scanPatterns, USER_REGEX_GUARD, type PatternSet } from './pattern-scan.js';
import { collectExactValues, expandExactValues, type Literal } from './exact-values.js';
import { findBase64Secrets } from './base64-secrets.js';
import type { CompiledUserPattern } from './user-patterns.js';

/** Replaces a whole string whose scan could not finish in time: never let an unscanned value out. */
export const TIMEOUT_SENTINEL = '[REDACTED: pattern timeout]';
export const DEFAULT_MATCH_TIMEOUT_MS = 100;

export function redactionMark(pattern: string): string {
  return `[REDACTED:${pattern}]`;
}

export interface Redaction {
  readonly path: string;
  readonly pattern: string;
}

/** Recorded in audit metadata when a scan hits its bound: sizes only, never the input. */
export interface TimeoutEvent {
  readonly event: 'redact.regex_timeout';
  readonly path: string;
  readonly pattern: string;
  readonly input_bytes: number;
  readonly timeout_ms: number;
}

export interface StringRedaction {
  readonly value: string;
  /** Names of the patterns that matched (deduplicated). */
  readonly patterns: string[];
  /** Set when the bound was hit; `value` is then TIMEOUT_SENTINEL. */
  readonly timedOutPattern?: string;
}

export interface ValueRedaction<T = unknown> {
  readonly value: T;
  readonly redactions: Redaction[];
  readonly timeouts: TimeoutEvent[];
}

export interface RedactorOptions {
  readonly userPatterns?: readonly CompiledUserPattern[];
  readonly matchTimeoutMs?: number;
  /** Secret values the gateway passes to children through `env`. */
  readonly exactValues?: readonly string[];
}

export interface Redactor {
  readonly matchTimeoutMs: number;
  redactString(text: string): StringRedaction;
  /** Walks JSON values; returns a copy where something changed, the same object otherwise. */
  redactValue<T>(value: T, path?: string): ValueRedaction<T>;
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const matchTimeoutMs = options.matchTimeoutMs ?? DEFAULT_MATCH_TIMEOUT_MS;
  const set: PatternSet = { user: options.userPatterns ?? [] };
  if (set.user.length > 0) USER_REGEX_GUARD.warm();
  const literals: Literal[] = expandExactValues(options.exactValues ?? []);

  function redactString(text: string): StringRedaction {
    if (text.length < 4) return { value: text, patterns: [] };
    const ranges: MatchRange[] = [];
    collectExactValues(text, literals, ranges);
    const failed = scanPatterns(text, set, matchTimeoutMs, ranges) ?? findBase64Secrets(text, set, matchTimeoutMs, ranges);
    if (failed !== undefined) return { value: TIMEOUT_SENTINEL, patterns: [failed], timedOutPattern: failed };
    if (ranges.length === 0) return { value: text, patterns: [] };
    const patterns = [...new Set(ranges.map((r) => r.pattern))];
    return { value: applyRanges(text, mergeRanges(ranges)), patterns };
  }

  function redactValue<T>(value: T, path = ''): ValueRedaction<T> {
    const redactions: Redaction[] = [];
    const timeouts: TimeoutEvent[] = [];
    const walk = (node: unknown, at: string): unknown => {
      if (typeof node === 'string') {
        const r = redactString(node);
        for (const pattern of r.patterns) redactions.push({ path: at, pattern });
        if (r.timedOutPattern !== undefined) {
          timeouts.push({ event: 'redact.regex_timeout', path: at, pattern: r.timedOutPattern, input_bytes: Buffer.byteLength(node), timeout_ms: matchTimeoutMs });
        }
        return r.value;
      }
      if (Array.isArray(node)) {
        let copy: unknown[] | undefined;
        node.forEach((item, i) => {
          const next = walk(item, join(at, String(i)));
          if (next !== item) (copy ??= [...node])[i] = next;
        });
        return copy ?? node;
      }
      if (node !== null && typeof node === 'object') {
        let copy: Record<string, unknown> | undefined;
        for (const [key, item] of Object.entries(node)) {
          const next = walk(item, join(at, key));
          // Keys can carry secrets too (a token used as a map key): the key is renamed, never kept.
          const k = key.length >= 8 ? redactString(key) : undefined;
          if (k !== undefined && k.value !== key) {
            for (const pattern of k.patterns) redactions.push({ path: join(at, '[key]'), pattern });
            copy ??= { ...(node as Record<string, unknown>) };
            delete copy[key];
            copy[k.value] = next;
          } else if (next !== item) (copy ??= { ...(node as Record<string, unknown>) })[key] = next;
        }
        return copy ?? node;
      }
      return node;
    };
    return { value: walk(value, path) as T, redactions, timeouts };
  }

  return { matchTimeoutMs, redactString, redactValue };
}

function join(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

function applyRanges(text: string, ranges: readonly MatchRange[]): string {
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start) + redactionMark(r.pattern);
    at = r.end;
  }
  return out + text.slice(at);
}
