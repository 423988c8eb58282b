import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(REPO_ROOT, 'dist', 'cli', 'index.js');

/** Path of a fixture server script (`test/fixtures/servers/<name>.mjs`). */
export function fixtureServer(name: string): string {
  return join(REPO_ROOT, 'test', 'fixtures', 'servers', `${name}.mjs`);
}

export interface ServerEntry {
  name: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  env_passthrough?: string[];
  tier_overrides?: Record<string, string>;
  enabled?: boolean;
  [key: string]: unknown;
}

export interface TempRepo {
  readonly root: string;
  readonly reaDir: string;
  write(relative: string, content: string): string;
  cleanup(): void;
}

/** A throwaway project with a `.rea/` directory, a registry and (optionally) a policy. */
export function tempRepo(options: { servers?: ServerEntry[]; policy?: string } = {}): TempRepo {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'rea-test-')));
  const reaDir = join(root, '.rea');
  mkdirSync(reaDir);
  const repo: TempRepo = {
    root,
    reaDir,
    write(relative, content) {
      const file = join(root, relative);
      mkdirSync(resolve(file, '..'), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  if (options.servers) repo.write('.rea/registry.yaml', registryYaml(options.servers));
  if (options.policy) repo.write('.rea/policy.yaml', options.policy);
  return repo;
}

export function registryYaml(servers: ServerEntry[]): string {
  const entries = servers.map((s) => ({ command: process.execPath, ...s }));
  return `version: "1"\nservers: ${JSON.stringify(entries)}\n`;
}

/** A fixture server entry run with this Node. */
export function fixtureEntry(name: string, fixture: string, extra: Partial<ServerEntry> = {}): ServerEntry {
  return { name, command: process.execPath, args: [fixtureServer(fixture)], ...extra };
}
