import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/registry-loader.js';

const load = (text: string) => parseRegistry('/p/.rea/registry.yaml', text);

describe('registry loader', () => {
  it('loads a rea 0.4 registry with defaults filled in', () => {
    const r = load('version: "1"\nservers:\n  - name: fs\n    command: npx\n    args: [-y, server]\n');
    expect(r.servers[0]).toMatchObject({ name: 'fs', command: 'npx', args: ['-y', 'server'], env: {}, enabled: true });
  });

  it('treats an empty file as an empty registry', () => {
    expect(load('')).toEqual({ version: '1', servers: [] });
  });

  it('names file, line and key path for an unknown key, and what is allowed', () => {
    expect(() => load('version: "1"\nservers:\n  - name: fs\n    command: npx\n    comand: typo\n')).toThrow(
      /^\/p\/\.rea\/registry\.yaml:5: `servers\[0\]\.comand` is not a known key \(allowed: name, command, args, env/,
    );
  });

  it('names file, line and key path for a bad server name', () => {
    expect(() => load('version: "1"\nservers:\n  - name: Bad_Name\n    command: x\n')).toThrow(
      '/p/.rea/registry.yaml:3: `servers[0].name` must match ^[a-z0-9][a-z0-9-]*$ (lowercase letters, digits, dashes), got `Bad_Name`',
    );
  });

  it('names file, line and key path for a bad type', () => {
    expect(() => load('version: "1"\nservers:\n  - name: a\n    command: x\n    args: "not-a-list"\n')).toThrow(
      '/p/.rea/registry.yaml:5: `servers[0].args` must be a list, got `not-a-list`',
    );
  });

  it('rejects duplicate server names at the line of the duplicate', () => {
    expect(() => load('version: "1"\nservers:\n  - name: a\n    command: x\n  - name: a\n    command: y\n')).toThrow(
      '/p/.rea/registry.yaml:5: `servers[1].name` duplicates server name "a" (first defined at servers[0])',
    );
  });

  it('rejects duplicate YAML keys and invalid YAML with the line', () => {
    expect(() => load('version: "1"\nversion: "1"\n')).toThrow('/p/.rea/registry.yaml:2: is not valid YAML: duplicate key');
    expect(() => load('version: "1"\nservers: [\n')).toThrow(/registry\.yaml:\d+: is not valid YAML/);
  });

  it('refuses a secret-looking name in env_passthrough', () => {
    expect(() => load('version: "1"\nservers:\n  - name: a\n    command: x\n    env_passthrough: [GITHUB_TOKEN]\n')).toThrow(
      /`servers\[0\]\.env_passthrough\[0\]` looks like a secret; put it in `env` as NAME: \$\{NAME\} to forward it deliberately/,
    );
  });

  it('requires version "1"', () => {
    expect(() => load('version: "2"\nservers: []\n')).toThrow('/p/.rea/registry.yaml:1: `version` must be `1`, got `2`');
  });
});
