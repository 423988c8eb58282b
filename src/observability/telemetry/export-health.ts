/**
 * Whether an exporter's last export reached the collector, for `rea status` and the health tool:
 * each exporter is wrapped so that every result it reports is seen on its way back.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { errorMessage } from '../../errors.js';

export type ExporterState = 'idle' | 'up' | 'down';

export interface ExporterStatus {
  readonly url: string;
  readonly state: ExporterState;
  readonly last_error: string | null;
  readonly last_success_at: string | null;
}

export class ExportHealth {
  private state: ExporterState = 'idle';
  private lastError: string | undefined;
  private lastSuccessAt: string | undefined;

  constructor(readonly url: string) {}

  report(result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      this.state = 'up';
      this.lastSuccessAt = new Date().toISOString();
      return;
    }
    this.state = 'down';
    this.lastError = result.error === undefined ? 'export failed' : errorMessage(result.error);
  }

  status(): ExporterStatus {
    return { url: this.url, state: this.state, last_error: this.lastError ?? null, last_success_at: this.lastSuccessAt ?? null };
  }
}

interface Exporter<T> {
  export(items: T, done: (result: ExportResult) => void): void;
}

/** The same exporter, reporting every result to `health` (other methods pass through). */
export function tracked<E extends Exporter<never>>(exporter: E, health: ExportHealth): E {
  const wrapped = Object.create(exporter) as E;
  wrapped.export = ((items: never, done: (result: ExportResult) => void) =>
    exporter.export(items, (result) => {
      health.report(result);
      done(result);
    })) as E['export'];
  return wrapped;
}
