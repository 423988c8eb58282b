import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';

/** A parsed YAML file that can still say on which line each key lives. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export function readYamlFile(file: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(file, undefined, '', `cannot be read (${code ?? 'unknown error'})`, { cause: error });
  }
  return parseYamlText(file, text);
}

export function parseYamlText(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  // uniqueKeys (the default) makes duplicate keys a parse error with a position.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = lines.linePos(first.pos[0]).line;
    const detail = first.code === 'DUPLICATE_KEY' ? 'duplicate key' : first.message.split('\n')[0] ?? 'invalid YAML';
    throw new ConfigError(file, line, '', `is not valid YAML: ${detail}`);
  }
  return { file, doc, lines };
}

/** Line of the node at `path`, or of its nearest existing ancestor. */
export function lineOf(source: YamlSource, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = source.doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return source.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Validate with zod and turn the first issue into a ConfigError naming file, line, key path and value. */
export function validateYaml<S extends z.ZodType>(source: YamlSource, schema: S): z.infer<S> {
  const data: unknown = source.doc.toJS() ?? {};
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  let path = issue.path as PropertyKey[];
  let detail = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    path = [...path, key];
    detail = `is not a known key${issue.keys.length > 1 ? ` (also unknown: ${issue.keys.slice(1).join(', ')})` : ''}`;
  } else {
    const value = valueAt(data, path);
    if (value !== undefined) detail += `, got ${JSON.stringify(value)?.slice(0, 80)}`;
  }
  throw new ConfigError(source.file, lineOf(source, path), formatKeyPath(path), detail);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}
