import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { callRecords, type AuditLine } from '../helpers/audit-log.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { fixtureEntry, tempRepo, type TempRepo } from '../helpers/temp-repo.js';

let repo: TempRepo | undefined;
let gw: RunningGateway | undefined;
afterEach(async () => {
  await gw?.close();
  repo?.cleanup();
  gw = undefined;
  repo = undefined;
});

async function start(answer: (() => Promise<ElicitResult>) | undefined, extraPolicy = ''): Promise<{ gw: RunningGateway; root: string; asked: string[] }> {
  repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: `version: "1"\nautonomy_level: L2\nmax_autonomy_level: L2\n${extraPolicy}` });
  const asked: string[] = [];
  const configureClient = answer
    ? (client: Client) =>
        client.setRequestHandler(ElicitRequestSchema, async (request) => {
          asked.push(request.params.message);
          return answer();
        })
    : undefined;
  gw = await startGateway({ root: repo.root, capabilities: answer ? { elicitation: {} } : {}, ...(configureClient ? { configureClient } : {}) });
  return { gw, root: repo.root, asked };
}

async function outcome(root: string): Promise<AuditLine> {
  return vi.waitFor(() => {
    const record = callRecords(root).find((r) => r.tool_name === 'delete_value');
    if (!record) throw new Error('no outcome record yet');
    return record;
  });
}

const destructive = (g: RunningGateway) => g.client.callTool({ name: 'echo__delete_value', arguments: { key: 'k' } });

describe('confirmation of destructive calls at L2 through elicitation', () => {
  it('runs the call when the user accepts, and records the answer', async () => {
    const { gw, root, asked } = await start(async () => ({ action: 'accept', content: { confirm: true } }));
    const result = await destructive(gw);
    expect(result.isError).toBeFalsy();
    expect(asked).toEqual(['Allow the destructive tool "echo__delete_value" (arguments: key)? Autonomy L2 asks before each such call.']);
    expect(await outcome(root)).toMatchObject({ status: 'allowed', tier: 'destructive', metadata: { confirmation: 'accept' } });
  });

  it.each([
    ['decline', async (): Promise<ElicitResult> => ({ action: 'decline' })],
    ['cancel', async (): Promise<ElicitResult> => ({ action: 'cancel' })],
    ['decline', async (): Promise<ElicitResult> => ({ action: 'accept', content: { confirm: false } })],
  ] as const)('denies when the user answers %s, and records it', async (answer, respond) => {
    const { gw, root } = await start(respond);
    const result = await destructive(gw);
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: `Denied by rea: not confirmed by the user (${answer})` }] });
    expect(await outcome(root)).toMatchObject({
      status: 'denied',
      deny_code: 'confirmation',
      deny_stage: 'confirm',
      error: `user confirmation for destructive tool echo__delete_value: ${answer}`,
      metadata: { confirmation: answer },
    });
  });

  it('denies when the user does not answer within confirm.timeout_ms', async () => {
    const { gw, root } = await start(() => new Promise<ElicitResult>(() => {}), 'confirm:\n  timeout_ms: 300\n');
    const result = await destructive(gw);
    expect(result).toMatchObject({ isError: true, content: [{ text: 'Denied by rea: not confirmed by the user (timeout)' }] });
    expect(await outcome(root)).toMatchObject({ status: 'denied', deny_code: 'confirmation', metadata: { confirmation: 'timeout' } });
  });

  it('denies with a message for the operator when the client cannot elicit', async () => {
    const { gw, root } = await start(undefined);
    const result = await destructive(gw);
    expect(result).toMatchObject({
      isError: true,
      content: [{ text: 'Denied by rea: destructive tier needs user confirmation, which this client cannot ask for; the operator can raise autonomy to L3 or add a tools allow rule' }],
    });
    expect(await outcome(root)).toMatchObject({ status: 'denied', deny_code: 'confirmation', metadata: { confirmation: 'unsupported' } });
  });

  it('runs a pre-approved destructive tool at L2 without asking', async () => {
    const { gw, root, asked } = await start(async () => ({ action: 'decline' }), 'tools:\n  - match: "echo__delete_value"\n    allow: true\n');
    expect((await destructive(gw)).isError).toBeFalsy();
    expect(asked).toEqual([]);
    expect(await outcome(root)).toMatchObject({ status: 'allowed' });
  });
});
