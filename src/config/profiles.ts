import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ReaError } from '../errors.js';
import { parsePolicyText } from './policy-loader.js';
import type { Policy } from './policy-schema.js';

/** Profiles shipped in `profiles/` (package root; two levels above both src/config and dist/config). */
export const PROFILE_NAMES = ['minimal', 'open-source', 'client-engagement', 'strict'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

const PROFILE_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

function profilePath(name: ProfileName): string {
  return `${PROFILE_DIR}${name}.yaml`;
}

/** The profile's YAML text, comments included. */
function readProfile(name: string): string {
  if (!isProfileName(name)) {
    throw new ReaError('CONFIG_NOT_FOUND', `Unknown profile \`${name}\`: use one of ${PROFILE_NAMES.join(', ')}`);
  }
  return readFileSync(profilePath(name), 'utf8');
}

export function loadProfile(name: string): Policy {
  return parsePolicyText(profilePath(name as ProfileName), readProfile(name));
}

/**
 * The text `rea init` writes: the profile with `installed_by` / `installed_at` set, comments kept,
 * validated before it is returned so init never writes a policy the gateway would refuse.
 */
export function renderProfile(name: string, installedBy: string, now: Date = new Date()): string {
  const doc = parseDocument(readProfile(name));
  doc.set('installed_by', installedBy);
  doc.set('installed_at', now.toISOString());
  const text = doc.toString();
  parsePolicyText(profilePath(name as ProfileName), text);
  return text;
}
