import { Worker } from 'node:worker_threads';
import type { MatchRange } from './bounded-match.js';

/**
 * Operator regexes (policy `redact.patterns`) run in one long-lived worker thread that the caller
 * waits on with a hard time limit (Atomics.wait): safe-regex approves patterns that still
 * backtrack exponentially, and no amount of chunking bounds those (THREAT_MODEL.md T18). The
 * worker starts once, not per call (rea 0.4's per-call worker cost about a second); it is replaced
 * only after it had to be killed. Built-in patterns are linear and never come here.
 */
const MAX_MATCHES = 16 * 1024;
/**
 * A new worker's start-up (a thread and a V8 isolate, 30 ms to several hundred on a loaded machine)
 * is not the pattern's time: the first match waits for the worker to say it is ready, within this.
 */
const STARTUP_MS = 5_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.control);
const spans = new Int32Array(workerData.spans);
Atomics.store(control, 2, 1);
Atomics.notify(control, 2);
parentPort.on('message', ({ source, flags, text }) => {
  let n = 0;
  let state = 1;
  try {
    const re = new RegExp(source, flags);
    let m;
    while ((m = re.exec(text)) !== null) {
      let s = m.index, e = m.index + m[0].length;
      const groups = m.indices && m.indices.groups;
      if (groups) for (const key in groups) { const g = groups[key]; if (g && key.startsWith('secret')) { s = g[0]; e = g[1]; break; } }
      if (e > s) {
        if (2 * n + 1 >= spans.length) { state = 3; break; }
        spans[2 * n] = s; spans[2 * n + 1] = e; n++;
      }
      if (m[0].length === 0) re.lastIndex++;
    }
  } catch { state = 2; }
  Atomics.store(control, 1, n);
  Atomics.store(control, 0, state);
  Atomics.notify(control, 0);
});
`;

/** 1: done; 2: the regex threw; 3: too many matches to report (the caller fails secure). */
type Outcome = { kind: 'matches'; ranges: MatchRange[] } | { kind: 'timeout' } | { kind: 'failed' };

export class GuardedRegex {
  private worker: Worker | undefined;
  /** [0] state of the current match, [1] matches found, [2] 1 once the worker is up. */
  private readonly control = new Int32Array(new SharedArrayBuffer(12));
  private readonly spans = new Int32Array(new SharedArrayBuffer(MAX_MATCHES * 2 * 4));

  /** Start the worker now (at policy load) so the first call does not pay for it. */
  warm(): void {
    this.ensure();
  }

  match(regex: RegExp, name: string, text: string, timeoutMs: number): Outcome {
    const worker = this.ensure();
    if (Atomics.wait(this.control, 2, 0, STARTUP_MS) === 'timed-out') return { kind: 'timeout' };
    Atomics.store(this.control, 0, 0);
    worker.postMessage({ source: regex.source, flags: regex.flags, text });
    if (Atomics.wait(this.control, 0, 0, timeoutMs) === 'timed-out' && Atomics.load(this.control, 0) === 0) {
      // Stuck in backtracking: terminate interrupts it; a fresh worker serves the next call.
      void worker.terminate();
      this.worker = undefined;
      return { kind: 'timeout' };
    }
    const state = Atomics.load(this.control, 0);
    if (state !== 1) return { kind: 'failed' };
    const n = Atomics.load(this.control, 1);
    const ranges: MatchRange[] = [];
    for (let i = 0; i < n; i += 1) ranges.push({ start: this.spans[2 * i]!, end: this.spans[2 * i + 1]!, pattern: name });
    return { kind: 'matches', ranges };
  }

  private ensure(): Worker {
    if (!this.worker) {
      Atomics.store(this.control, 2, 0);
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { control: this.control.buffer, spans: this.spans.buffer } });
      // Never keeps the gateway alive, and an error in it surfaces as a failed match, not a crash.
      this.worker.unref();
      this.worker.on('error', () => {
        this.worker = undefined;
      });
    }
    return this.worker;
  }
}
