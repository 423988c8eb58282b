/** Every local (non-wire) failure carries a stable code; branch on it, never on message text. */
export type ReaErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'ENV_MISSING'
  | 'DOWNSTREAM_EXITED'
  | 'DOWNSTREAM_TIMEOUT'
  | 'REQUEST_CANCELLED'
  | 'UNKNOWN_TOOL'
  | 'UNKNOWN_RESOURCE'
  | 'UNKNOWN_PROMPT'
  | 'INVALID_PARAMS'
  | 'CHAIN_NEXT_TWICE'
  | 'CHAIN_INVALID'
  | 'CHAIN_SKIPPED_NEXT'
  | 'AUDIT_WRITE_FAILED'
  | 'AUDIT_LOCKED'
  | 'SHUTTING_DOWN'
  | 'INTERNAL';

export class ReaError extends Error {
  readonly code: ReaErrorCode;
  constructor(code: ReaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReaError';
    this.code = code;
  }
}

/** A configuration error that points at the exact place to fix: file, line and key path. */
export class ConfigError extends ReaError {
  readonly file: string;
  readonly line: number | undefined;
  readonly keyPath: string;
  constructor(file: string, line: number | undefined, keyPath: string, detail: string, options?: { cause?: unknown }) {
    const where = line === undefined ? file : `${file}:${line}`;
    super('CONFIG_INVALID', `${where}: ${keyPath ? `\`${keyPath}\` ` : ''}${detail}`, options);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
    this.keyPath = keyPath;
  }
}

/** A downstream server failed; carries what an operator needs to diagnose it. */
export class DownstreamError extends ReaError {
  readonly server: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  constructor(
    code: ReaErrorCode,
    server: string,
    message: string,
    details: { exitCode?: number | null; signal?: string | null; cause?: unknown } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.name = 'DownstreamError';
    this.server = server;
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
  }
}

export function isReaError(error: unknown, code?: ReaErrorCode): error is ReaError {
  return error instanceof ReaError && (code === undefined || error.code === code);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
