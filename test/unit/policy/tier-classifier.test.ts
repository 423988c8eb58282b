import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src/policy/compiled-policy.js';
import { classifyTier } from '../../../src/policy/tier-classifier.js';
import { nameWords, tierFromName } from '../../../src/policy/tier-names.js';
import { parsePolicyText } from '../../../src/config/policy-loader.js';

const compiled = (yaml = '') => compilePolicy(parsePolicyText('policy.yaml', `version: "1"\n${yaml}`));
const input = (tool: string, hints = {}, server = 'fs') => ({ tool, exposedName: `${server}__${tool}`, hints });

describe('tier from a tool name', () => {
  it.each([
    'delete_file', 'delete-note', 'deleteFile', 'DeleteFile', 'fs.remove', 'rm', 'drop_table', 'exec', 'run_sql', 'kill',
    'purge', 'truncateTable', 'rmdir', 'unlink', 'execute_command', 'shell', 'terminate-instance', 'deletefile', 'force_push',
    'git.reset', 'wipe_disk', 'list_and_delete', 'HTTPDelete',
    // Review finding 9: glued names that start with a read verb, and look-alike letters.
    'getanddelete', 'fetchanddelete', 'readandwipe', 'getuseranddelete', 'listthenpurge', 'getdelete',
    'ｄｅｌｅｔｅ_file', 'dеlete_file', 'rеmove',
  ])('classifies %s as destructive', (name) => {
    expect(tierFromName(name)).toBe('destructive');
  });

  it.each(['get_x', 'list_x', 'read_file', 'search', 'readFile', 'list-notes', 'fs.stat', 'getUser', 'search_files', 'describe.table', 'listallowed'])(
    'classifies %s as read',
    (name) => {
      expect(tierFromName(name)).toBe('read');
    },
  );

  it.each(['write_file', 'create-issue', 'updateRecord', 'get_and_update', 'move_file', 'frobnicate', 'add', 'sampleLLM', '', 'findorcreate', 'readwrite', 'getorset', 'get_fíle'])(
    'classifies %s as write',
    (name) => {
      expect(tierFromName(name)).toBe('write');
    },
  );

  it('splits names across conventions', () => {
    expect(nameWords('getHTTPResponse_body-part.v2')).toEqual(['get', 'http', 'response', 'body', 'part', 'v2']);
  });
});

describe('classifyTier', () => {
  it('lets annotations raise the tier above the name', () => {
    expect(classifyTier(input('get_thing', { destructiveHint: true }), compiled(), undefined)).toEqual({ tier: 'destructive', source: 'annotation' });
    expect(classifyTier(input('get_thing', { readOnlyHint: false }), compiled(), undefined)).toEqual({ tier: 'write', source: 'annotation' });
  });

  it('never lets annotations lower the tier below the name', () => {
    expect(classifyTier(input('delete_file', { readOnlyHint: true, destructiveHint: false }), compiled(), undefined)).toEqual({ tier: 'destructive', source: 'name' });
    expect(classifyTier(input('frobnicate', { readOnlyHint: true }), compiled(), undefined)).toEqual({ tier: 'write', source: 'name' });
  });

  it('applies a registry tier override over name and annotations', () => {
    expect(classifyTier(input('frobnicate', { readOnlyHint: true }), compiled(), { frobnicate: 'read' })).toEqual({ tier: 'read', source: 'registry' });
    expect(classifyTier(input('get_x'), compiled(), { get_x: 'destructive' })).toEqual({ tier: 'destructive', source: 'registry' });
  });

  it('applies the first policy tools rule over the registry', () => {
    const rules = compiled('tools:\n  - match: "fs__purge_*"\n    tier: write\n  - match: "fs__*"\n    tier: read\n');
    expect(classifyTier(input('purge_cache'), rules, { purge_cache: 'destructive' })).toEqual({ tier: 'write', source: 'policy' });
    expect(classifyTier(input('delete_file', { destructiveHint: true }), rules, undefined)).toEqual({ tier: 'read', source: 'policy' });
    expect(classifyTier(input('delete_file', {}, 'other'), rules, undefined)).toEqual({ tier: 'destructive', source: 'name' });
  });

  it('ignores inherited keys of the overrides object', () => {
    expect(classifyTier(input('constructor'), compiled(), {})).toEqual({ tier: 'write', source: 'name' });
  });
});
