#!/usr/bin/env node
/**
 * A tiny MCP server for `rea demo`: notes kept in memory, with a read, a write and a destructive
 * tool, so the demo can show each tier meeting the policy.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const notes = new Map<string, string>([['welcome', 'Hello from the notes server.']]);
const server = new McpServer({ name: 'notes', version: '1.0.0' });
const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });

server.registerTool(
  'read_note',
  { description: 'Read a note by title', inputSchema: { title: z.string() }, annotations: { readOnlyHint: true } },
  async ({ title }) => text(notes.get(title) ?? `(no note titled "${title}")`),
);
server.registerTool(
  'write_note',
  { description: 'Create or replace a note', inputSchema: { title: z.string(), body: z.string() } },
  async ({ title, body }) => {
    notes.set(title, body);
    return text(`saved "${title}"`);
  },
);
server.registerTool(
  'delete_note',
  { description: 'Delete a note', inputSchema: { title: z.string() }, annotations: { destructiveHint: true } },
  async ({ title }) => text(notes.delete(title) ? `deleted "${title}"` : `(no note titled "${title}")`),
);
server.registerTool(
  'read_file',
  { description: 'Pretend to read a file', inputSchema: { path: z.string() }, annotations: { readOnlyHint: true } },
  async ({ path }) => text(`read ${path}`),
);

await server.connect(new StdioServerTransport());
