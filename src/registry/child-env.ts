import { ReaError } from '../errors.js';
import { SECRET_NAME_PATTERN, type ServerSpec } from '../config/registry-schema.js';
import { interpolate } from './interpolate.js';

/**
 * Variables every child gets from the gateway if set: enough to find binaries, locate home and
 * speak the user's locale, nothing that authenticates (THREAT_MODEL.md, child environment).
 */
export const BASE_ALLOWLIST: readonly string[] = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'TZ', 'TERM', 'TMPDIR', 'TEMP', 'TMP',
  'NODE_ENV', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
];

/** Long enough that an exact match in output is no accident. */
const MIN_OPAQUE_LENGTH = 16;

/**
 * Whether a value reads as a token rather than a path, host, URL or word: one run of token
 * characters with letters and digits both (THREAT_MODEL.md T12). Exact-scrubbing a path would cut
 * it out of every result that mentions it.
 */
function looksOpaque(value: string): boolean {
  return value.length >= MIN_OPAQUE_LENGTH && /^[A-Za-z0-9+=_-]+$/.test(value) && /[A-Za-z]/.test(value) && /[0-9]/.test(value);
}

export interface ChildEnv {
  readonly env: Record<string, string>;
  /** Values the gateway itself injected through `env`: content security scrubs them from output. */
  readonly injectedValues: string[];
}

export function buildChildEnv(spec: ServerSpec, parent: NodeJS.ProcessEnv): ChildEnv {
  const env: Record<string, string> = {};
  for (const name of BASE_ALLOWLIST) copy(name);
  for (const name of Object.keys(parent)) if (name.startsWith('LC_')) copy(name);
  for (const name of spec.env_passthrough ?? []) copy(name);
  const injectedValues: string[] = [];
  // A value passed through from the gateway's environment is the operator's, not the file's.
  for (const name of spec.env_passthrough ?? []) {
    const value = env[name];
    if (value !== undefined && (SECRET_NAME_PATTERN.test(name) ? value.length >= 8 : looksOpaque(value))) injectedValues.push(value);
  }

  const missing = new Set<string>();
  for (const [key, raw] of Object.entries(spec.env)) {
    const referenced = new Set<string>();
    const value = interpolate(raw, parent, missing, `servers "${spec.name}" env.${key}`, referenced);
    env[key] = value;
    // Secret-bearing: the key or a variable it draws from is named like a credential (rea 0.4 rule),
    // or the value comes from the gateway's environment and looks like a token, whatever its name.
    const secretBearing = SECRET_NAME_PATTERN.test(key) || [...referenced].some((name) => SECRET_NAME_PATTERN.test(name));
    if ((secretBearing && value.length >= 8) || (referenced.size > 0 && looksOpaque(value))) injectedValues.push(value);
  }
  if (missing.size > 0) {
    const names = [...missing].sort().join(', ');
    throw new ReaError(
      'ENV_MISSING',
      `Server "${spec.name}" not started: environment variable${missing.size > 1 ? 's' : ''} ${names} ` +
        `referenced in its env ${missing.size > 1 ? 'are' : 'is'} not set in the gateway's environment; set ${missing.size > 1 ? 'them' : 'it'} or remove the reference`,
    );
  }
  return { env, injectedValues };

  function copy(name: string): void {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
}
