import { describe, expect, it } from 'vitest';
import { buildChildEnv } from '../../../src/registry/child-env.js';
import { ServerSpecSchema } from '../../../src/config/registry-schema.js';

const spec = (extra: Record<string, unknown>) => ServerSpecSchema.parse({ name: 's', command: 'x', ...extra });

describe('buildChildEnv', () => {
  it('copies only the allowlist, LC_*, passthrough names and the env map — never the rest', () => {
    const { env } = buildChildEnv(spec({ env_passthrough: ['MY_FLAG'], env: { A: '1' } }), {
      PATH: '/bin', LC_TIME: 'C', MY_FLAG: 'on', OPENAI_API_KEY: 'sk-x', RANDOM: 'r',
    });
    expect(env).toEqual({ PATH: '/bin', LC_TIME: 'C', MY_FLAG: 'on', A: '1' });
  });

  it('interpolates ${VAR} and reports injected secret values for scrubbing', () => {
    const { env, injectedValues } = buildChildEnv(spec({ env: { GITHUB_TOKEN: '${GH}', URL: 'https://${HOST}/x' } }), {
      GH: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', HOST: 'example.com',
    });
    expect(env['GITHUB_TOKEN']).toBe('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(env['URL']).toBe('https://example.com/x');
    expect(injectedValues).toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
  });

  // THREAT_MODEL.md gap table: values injected under names that do not look like credentials.
  it('reports an opaque value drawn from the environment or passed through whatever its name, and leaves paths, hosts and words alone', () => {
    const parent = {
      SESSION_BLOB: 'q8Zr4kP2mX9vL1tN7bW3yH5s', RELAY: 'c29tZS1vcGFxdWUtdmFsdWUtMTIzNDU2', HOME: '/home/someone', HOST: 'db.internal.example',
      MODE: 'production-mode', WORKDIR: '/srv/projects/app-2024',
    };
    const { injectedValues } = buildChildEnv(
      spec({ env: { SESSION: '${SESSION_BLOB}', DATA_DIR: '${HOME}/data', DB_HOST: '${HOST}', MODE: '${MODE}', DIR: '${WORKDIR}', LITERAL: 'q8Zr4kP2mX9vL1tN7bW3yH5t' }, env_passthrough: ['RELAY'] }),
      parent,
    );
    expect(injectedValues.sort()).toEqual(['c29tZS1vcGFxdWUtdmFsdWUtMTIzNDU2', 'q8Zr4kP2mX9vL1tN7bW3yH5s']);
  });

  it('refuses the server when a referenced variable is missing, naming every missing one', () => {
    expect(() => buildChildEnv(spec({ env: { A: '${NOPE_1}', B: '${NOPE_2}' } }), {})).toThrow(
      'Server "s" not started: environment variables NOPE_1, NOPE_2 referenced in its env are not set',
    );
  });

  it('rejects malformed placeholders', () => {
    expect(() => buildChildEnv(spec({ env: { A: '${1BAD}' } }), {})).toThrow('"${1BAD}" is not a valid variable name');
    expect(() => buildChildEnv(spec({ env: { A: '${OPEN' } }), {})).toThrow('unclosed "${" in value');
  });
});
