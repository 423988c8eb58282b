/**
 * Structured logs on stderr only: stdout is the JSON-RPC channel (ARCHITECTURE.md, data path 1).
 * JSON lines when stderr is not a TTY (machines read it), readable lines on a TTY (people read it).
 */
import { neutralizeTerminal } from './terminal-safe.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Scrubs a log line before it leaves the process; content security installs the real one. */
export type LineScrubber = (line: string) => string;

/** The same redactor over a structured value (JSON-RPC error data). */
export type ValueScrubber = (value: unknown) => unknown;

let scrub: LineScrubber = (line) => line;
let scrubStructured: ValueScrubber = (value) => value;
const minRank = LEVEL_RANK[parseLevel(process.env['REA_LOG_LEVEL'])];
const isTty = Boolean(process.stderr.isTTY);

function parseLevel(value: string | undefined): LogLevel {
  const v = value?.toLowerCase();
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' ? v : 'info';
}

export function setLogScrubber(fn: LineScrubber, valueFn?: ValueScrubber): void {
  scrub = fn;
  if (valueFn) scrubStructured = valueFn;
}

/** The installed scrubber, for other text that leaves the process (agent-facing error messages). */
export function scrubText(text: string): string {
  return scrub(text);
}

/** The installed scrubber over a value (agent-facing error data). */
export function scrubValue<T>(value: T): T {
  return scrubStructured(value) as T;
}



function emit(level: LogLevel, component: string, msg: string, fields?: LogFields): void {
  if (LEVEL_RANK[level] < minRank) return;
  const time = new Date().toISOString();
  let line: string;
  if (isTty) {
    // On a terminal, text from children (stderr lines) must not drive it: escapes become visible.
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    line = neutralizeTerminal(`${time} ${level.toUpperCase().padEnd(5)} [${component}] ${msg}${extra}`);
  } else {
    line = JSON.stringify({ time, level, component, msg, ...fields });
  }
  process.stderr.write(scrub(line) + '\n');
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(component: string): Logger;
}

export function createLogger(component: string): Logger {
  return {
    debug: (msg, fields) => emit('debug', component, msg, fields),
    info: (msg, fields) => emit('info', component, msg, fields),
    warn: (msg, fields) => emit('warn', component, msg, fields),
    error: (msg, fields) => emit('error', component, msg, fields),
    child: (sub) => createLogger(`${component}:${sub}`),
  };
}
