import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import type { LoadedPolicy } from '../../config/policy-source.js';
import type { ServerSpec } from '../../config/registry-schema.js';
import type { ReaPaths } from '../../config/project-paths.js';
import { setLogScrubber } from '../../observability/logger.js';
import { createLogger } from '../../observability/logger.js';
import { TofuGate } from '../../registry/tofu-gate.js';
import { compileScanOptions, type ScanOptions } from '../../scan/scan-options.js';

const log = createLogger('tofu');

/**
 * Scan options compiled once per loaded policy (never per call), with the exact secret values the
 * gateway injects into its children; every log line is scrubbed with the same redactor.
 */
export function scanOptionsSource(current: () => LoadedPolicy, secrets: () => readonly string[]): (loaded?: LoadedPolicy) => ScanOptions {
  let compiledFor: LoadedPolicy | undefined;
  let compiledSecrets: readonly string[] | undefined;
  let options: ScanOptions | undefined;
  /** For a request's policy snapshot, or the policy in force. */
  const get = (loaded: LoadedPolicy = current()): ScanOptions => {
    const values = secrets();
    if (!options || loaded !== compiledFor || values !== compiledSecrets) {
      const { redact, injection, injection_detection } = loaded.policy;
      options = compileScanOptions({ redact, injection, injection_detection }, { exactValues: values, file: loaded.file });
      compiledFor = loaded;
      compiledSecrets = values;
    }
    return options;
  };
  setLogScrubber(
    (line) => get().redactor.redactString(line).value,
    (value) => get().redactor.redactValue(value, 'error.data').value,
  );
  return get;
}

/**
 * Check every server's launch config against its pin (rea 0.4 semantics: a drifted server is not
 * started until an operator accepts the change). Returns the refusals.
 */
export async function checkLaunchPins(gate: TofuGate, servers: readonly ServerSpec[]): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  for (const spec of servers) {
    const check = await gate.checkLaunch(spec.name, spec);
    if (check.status === 'drift') {
      const reason = `Server "${spec.name}" not started: its launch config changed since it was pinned; review with \`rea tofu diff ${spec.name}\` and accept with \`rea tofu accept ${spec.name} --reason "…"\``;
      log.error(reason, { server: spec.name });
      refused.set(spec.name, reason);
    }
  }
  return refused;
}

/**
 * `rea tofu accept` edits fingerprints.json while the gateway runs: re-review the catalogs when
 * the file changes for a reason other than our own writes (content differs from what we last saw).
 */
export function watchPins(paths: ReaPaths, onChange: () => Promise<void>): FSWatcher | undefined {
  const name = basename(paths.fingerprints);
  const read = () => (existsSync(paths.fingerprints) ? readFileSync(paths.fingerprints, 'utf8') : '');
  let known = read();
  let timer: NodeJS.Timeout | undefined;
  try {
    const watcher = watch(paths.dir, (_event, file) => {
      if (file !== name) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const now = read();
        if (now === known) return;
        known = now;
        void onChange().then(() => (known = read()));
      }, 50);
    });
    watcher.unref();
    return watcher;
  } catch (error) {
    log.warn('Cannot watch fingerprints.json; accepted changes apply at the next list_changed or restart', { error: String(error) });
    return undefined;
  }
}
