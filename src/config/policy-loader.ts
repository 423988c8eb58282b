import { existsSync } from 'node:fs';
import { reaPaths } from './project-paths.js';
import { validateWithMessages } from './schema-errors.js';
import { DEFAULT_POLICY, deepFreeze, PolicySchema, type Policy } from './policy-schema.js';
import { parseYamlText, readYamlFile } from './yaml-file.js';

/** A policy and where it came from. */
export interface PolicyLoad {
  readonly policy: Policy;
  /** `default` when `.rea/policy.yaml` does not exist (DEFAULT_POLICY is in force). */
  readonly origin: 'file' | 'default';
  readonly file: string;
}

/** Parse and validate policy YAML text; throws ConfigError naming file, line, key path, value and what is allowed. */
export function parsePolicyText(file: string, text: string): Policy {
  return deepFreeze(validateWithMessages(parseYamlText(file, text), PolicySchema));
}

/** Load one policy file; throws ConfigError (CONFIG_INVALID) when it is unreadable or invalid. */
export function loadPolicyFile(file: string): Policy {
  return deepFreeze(validateWithMessages(readYamlFile(file), PolicySchema));
}

/** Load `<root>/.rea/policy.yaml`, or DEFAULT_POLICY when there is none. */
export function loadProjectPolicy(root: string): PolicyLoad {
  const file = reaPaths(root).policy;
  if (!existsSync(file)) return { policy: DEFAULT_POLICY, origin: 'default', file };
  return { policy: loadPolicyFile(file), origin: 'file', file };
}
