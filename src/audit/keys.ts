/**
 * Ed25519 keys for signed checkpoints (node:crypto). The private key lives outside the project
 * (THREAT_MODEL.md: the agent's tools can read the project, so a key inside it proves nothing).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { sha256Hex } from '../sha256.js';
import type { KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { ReaError, errorMessage } from '../errors.js';

export interface KeyPairPaths {
  readonly privateKey: string;
  readonly publicKey: string;
}

/** Short stable name of a public key: first 16 hex of sha256 over its SPKI DER. */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return sha256Hex(pub.export({ type: 'spki', format: 'der' })).slice(0, 16);
}

/** Default key location: `~/.config/rea/keys/<first 16 hex of sha256(project root)>.{key,pub}`. */
export function defaultKeyDir(): string {
  return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'rea', 'keys');
}

export function projectKeyPaths(projectRoot: string, dir = defaultKeyDir()): KeyPairPaths {
  const id = sha256Hex(resolve(projectRoot)).slice(0, 16);
  return { privateKey: join(dir, `${id}.key`), publicKey: join(dir, `${id}.pub`) };
}

export function isInside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Writes a new key pair; refuses a directory inside the project and never overwrites a key. */
export async function generateKeyPair(projectRoot: string, dir = defaultKeyDir()): Promise<KeyPairPaths & { keyId: string }> {
  if (isInside(projectRoot, dir)) {
    throw new ReaError(
      'CONFIG_INVALID',
      `Refusing to write the audit signing key inside the project (${dir}): the agent can read it there. Choose a directory outside ${projectRoot}`,
    );
  }
  const paths = projectKeyPaths(projectRoot, dir);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(paths.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ReaError('CONFIG_INVALID', `An audit signing key already exists at ${paths.privateKey}; move it away first to make a new one`);
    }
    throw error;
  }
  await chmod(paths.privateKey, 0o600);
  await writeFile(paths.publicKey, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { ...paths, keyId: keyId(publicKey) };
}

export async function loadPrivateKey(file: string): Promise<KeyObject> {
  try {
    return createPrivateKey(await readFile(file));
  } catch (error) {
    throw new ReaError('CONFIG_INVALID', `Cannot load the audit signing key ${file}: ${errorMessage(error)}. Create one with \`rea audit keygen\``, { cause: error });
  }
}

export async function loadPublicKey(file: string): Promise<KeyObject> {
  try {
    return createPublicKey(await readFile(file));
  } catch (error) {
    throw new ReaError('CONFIG_INVALID', `Cannot load the public key ${file}: ${errorMessage(error)}`, { cause: error });
  }
}
