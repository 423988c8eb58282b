import { describe, expect, it } from 'vitest';
import { Router } from '../../../../src/gateway/surfaces/router.js';
import type { Catalog } from '../../../../src/registry/catalog.js';
import type { Downstream } from '../../../../src/gateway/supervision/downstream.js';

/** What the router reads of a downstream: its name, state and catalog. */
function server(name: string, catalog: Partial<Catalog>, state: Downstream['state'] = 'ready'): Downstream {
  const full: Catalog = { tools: [], prompts: [], resources: [], resourceTemplates: [], instructions: undefined, capabilities: {}, serverInfo: undefined, ...catalog };
  return { name, state, catalog: full } as unknown as Downstream;
}

const fs = server('fs', {
  tools: [{ name: 'read_file' }, { name: 'with__separator' }],
  prompts: [{ name: 'review' }],
  resources: [{ uri: 'file:///notes.md' }],
  resourceTemplates: [{ uriTemplate: 'file:///docs/{name}' }],
  capabilities: { resources: {} },
});
const git = server('git', { tools: [{ name: 'log' }], resourceTemplates: [{ uriTemplate: 'git://{+path}' }], capabilities: { resources: {} } });
const multi = new Router('multi', new Map([['fs', fs], ['git', git]]));

describe('Router', () => {
  it('names tools <server>__<tool> in multi mode and leaves them bare in wrap mode', () => {
    expect(multi.expose('fs', 'read_file')).toBe('fs__read_file');
    expect(new Router('wrap', new Map([['fs', fs]])).expose('fs', 'read_file')).toBe('read_file');
  });

  it('finds a tool by its exposed name, splitting at the first separator only', () => {
    expect(multi.findTool('fs__read_file')).toMatchObject({ downstream: fs, name: 'read_file' });
    expect(multi.findTool('fs__with__separator')).toMatchObject({ downstream: fs, name: 'with__separator' });
    expect(multi.findTool('git__read_file')).toBeUndefined();
    expect(multi.findTool('nobody__log')).toBeUndefined();
    expect(multi.findTool('read_file')).toBeUndefined();
  });

  it('says which server a name belongs to even when that server lacks it', () => {
    expect(multi.resolveName('nobody__x')).toEqual({ server: undefined, serverName: 'nobody', name: 'x' });
    expect(multi.resolveName('git__missing')).toMatchObject({ server: git, serverName: 'git', name: 'missing' });
    expect(multi.resolveName('__x')).toEqual({ server: undefined, serverName: '', name: '__x' });
  });

  it('passes names through unchanged to the one server in wrap mode', () => {
    const wrap = new Router('wrap', new Map([['fs', fs]]));
    expect(wrap.findTool('read_file')).toMatchObject({ downstream: fs, name: 'read_file' });
    expect(wrap.findPrompt('review')).toMatchObject({ downstream: fs, name: 'review' });
  });

  it('finds prompts like tools', () => {
    expect(multi.findPrompt('fs__review')).toEqual({ downstream: fs, name: 'review' });
    expect(multi.findPrompt('git__review')).toBeUndefined();
  });

  it('routes a resource to the server that listed it, else to one whose template matches', () => {
    expect(multi.findResourceOwner('file:///notes.md')).toBe(fs);
    expect(multi.findResourceOwner('file:///docs/a.md')).toBe(fs);
    // `{name}` is one path segment; `{+path}` is anything.
    expect(multi.findResourceOwner('file:///docs/a/b.md')).toBeUndefined();
    expect(multi.findResourceOwner('git://repo/src/index.ts')).toBe(git);
  });

  it('sends an unlisted URI to the only server with resources, and to nobody when that is ambiguous', () => {
    expect(new Router('multi', new Map([['fs', fs]])).findResourceOwner('file:///elsewhere')).toBe(fs);
    expect(multi.findResourceOwner('file:///elsewhere')).toBeUndefined();
  });

  it('ignores servers that are not ready', () => {
    const down = server('fs', { resources: [{ uri: 'file:///notes.md' }], capabilities: { resources: {} } }, 'restarting');
    expect(new Router('multi', new Map([['fs', down]])).findResourceOwner('file:///notes.md')).toBeUndefined();
  });
});
