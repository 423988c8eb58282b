import { ReaError } from '../errors.js';

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expand `${NAME}` from `source`. Only this one form: no defaults, no nesting, no `$NAME`, so a
 * value can never run code or surprise the operator. Unset names are collected, not guessed.
 */
export function interpolate(value: string, source: NodeJS.ProcessEnv, missing: Set<string>, where: string, referenced?: Set<string>): string {
  if (value.includes('${') && !/\$\{[^}]*\}/.test(value)) {
    throw new ReaError('CONFIG_INVALID', `${where}: unclosed "\${" in value`);
  }
  return value.replace(PLACEHOLDER, (_whole, name: string) => {
    if (!NAME.test(name)) throw new ReaError('CONFIG_INVALID', `${where}: "\${${name}}" is not a valid variable name`);
    referenced?.add(name);
    const found = source[name];
    if (found === undefined) {
      missing.add(name);
      return '';
    }
    return found;
  });
}
