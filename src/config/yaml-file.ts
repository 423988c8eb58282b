import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
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
