import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { formatKeyPath, lineOf, type YamlSource } from './yaml-file.js';

/**
 * Validate a parsed YAML file against a zod schema and turn the first issue into a ConfigError that
 * says what is allowed, in the STYLE.md §4 form: ``policy.yaml:3: `autonomy_level` must be one of
 * L0, L1, L2, L3, got `L4` ``. Builds on yaml-file's line and key-path helpers.
 */
export function validateWithMessages<S extends z.ZodType>(source: YamlSource, schema: S): z.output<S> {
  const data: unknown = source.doc.toJS() ?? {};
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  let path = issue.path as PropertyKey[];
  let detail: string;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]!];
    const allowed = allowedKeys(schema, issue.path as PropertyKey[]);
    const others = issue.keys.length > 1 ? `; also unknown: ${issue.keys.slice(1).join(', ')}` : '';
    detail = `is not a known key${allowed ? ` (allowed: ${allowed.join(', ')})` : ''}${others}`;
  } else {
    detail = describeIssue(issue, valueAt(data, path));
  }
  throw new ConfigError(source.file, lineOf(source, path), formatKeyPath(path), detail);
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = value === undefined ? '' : `, got ${show(value)}`;
  switch (issue.code) {
    case 'invalid_value':
      if (value === undefined) return `is required (${issue.values.map((v) => show(v)).join(' or ')})`;
      if (issue.values.length === 1) return `must be ${show(issue.values[0])}${got}`;
      return `must be one of ${issue.values.map(String).join(', ')}${got}`;
    case 'invalid_type':
      if (value === undefined) return `is required (${article(issue.expected)})`;
      return `must be ${article(issue.expected)}${got}`;
    case 'too_small':
      if (issue.origin === 'number') return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}${got}`;
      return `must not be empty${got}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${got}`;
    case 'invalid_union': {
      // Report against the first alternative: schemas list the plain form (a string, an enum) first.
      const first = issue.errors[0]?.[0];
      return first && first.path.length === 0 ? describeIssue(first, value) : `has the wrong shape${got}`;
    }
    case 'invalid_format':
      // A schema's own message (e.g. the pattern a name must match) says more than the generic one.
      return issue.message.startsWith('Invalid') ? `has an invalid format${got}` : `${issue.message}${got}`;
    case 'custom':
      return issue.message;
    default:
      return `${issue.message}${got}`;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return `\`${text.length > 80 ? `${text.slice(0, 77)}...` : text}\``;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The keys an object schema at `path` accepts, for "allowed: …" hints. */
function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let cur: z.ZodType | undefined = unwrap(schema);
  for (const part of path) {
    if (!cur) return undefined;
    const def = defOf(cur);
    if (def.type === 'array' && typeof part === 'number') cur = unwrap(def.element);
    else if (def.type === 'record') cur = unwrap(def.valueType);
    else if (def.type === 'object') cur = unwrap(def.shape?.[String(part)]);
    else return undefined;
  }
  return cur && defOf(cur).type === 'object' ? Object.keys(defOf(cur).shape ?? {}) : undefined;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let cur = schema;
  for (let i = 0; cur && i < 10; i += 1) {
    const def = defOf(cur);
    if (def.innerType) cur = def.innerType;
    else if (def.type === 'pipe' && def.in) cur = def.in;
    else if (def.type === 'union' && def.options) cur = def.options.find((o) => defOf(unwrap(o) ?? o).type === 'object') ?? def.options[0];
    else return cur;
  }
  return cur;
}
