import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { createRedactor } from '../../../../src/scan/redactor.js';
import { setLogScrubber } from '../../../../src/observability/logger.js';
import { toWireError } from '../../../../src/gateway/surfaces/to-wire-error.js';
import { ReaError } from '../../../../src/errors.js';

const GH_TOKEN = 'ghp_' + 'Ab3'.repeat(12);

describe('toWireError', () => {
  afterEach(() => setLogScrubber((line) => line, (value) => value));

  // Review finding 3: surfaces outside the chain (lists, completions, tasks) answer with toWireError too.
  it("redacts a downstream error's data with the installed redactor, not only its message", () => {
    const redactor = createRedactor({});
    setLogScrubber((line) => redactor.redactString(line).value, (value) => redactor.redactValue(value, 'error.data').value);
    const wire = toWireError(new McpError(-32010, `failed with ${GH_TOKEN}`, { token: GH_TOKEN, nested: [{ again: `key ${GH_TOKEN}` }] }));
    expect({ code: wire.code, message: wire.message, data: wire.data }).toEqual({
      code: -32010,
      message: 'failed with [REDACTED:github_token]',
      data: { token: '[REDACTED:github_token]', nested: [{ again: 'key [REDACTED:github_token]' }] },
    });
  });

  // Review finding 10: -32000 is ConnectionClosed to the SDK and the first server-defined code to a server.
  it.each([ErrorCode.ConnectionClosed, ErrorCode.RequestTimeout])("passes a server's own error with code %i through with its message", (code) => {
    const wire = toWireError(new McpError(code, 'the backend is busy', { retry: true }));
    expect({ code: wire.code, message: wire.message, data: wire.data }).toEqual({ code, message: 'the backend is busy', data: { retry: true } });
  });

  it("answers the gateway's own timeout as a timeout", () => {
    const wire = toWireError(new ReaError('DOWNSTREAM_TIMEOUT', 'No answer or progress within 200 ms'));
    expect({ code: wire.code, message: wire.message }).toEqual({ code: ErrorCode.RequestTimeout, message: 'The server did not answer in time; the call was abandoned' });
  });
});
