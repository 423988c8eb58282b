import { existsSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { RegistrySchema, type Registry } from './registry-schema.js';
import { lineOf, parseYamlText, readYamlFile, type YamlSource } from './yaml-file.js';
import { validateWithMessages } from './schema-errors.js';

/** Load `.rea/registry.yaml`. A missing file is an empty registry; a broken one is a ConfigError. */
export function loadRegistry(file: string): Registry {
  if (!existsSync(file)) return { version: '1', servers: [] };
  return validateRegistry(readYamlFile(file));
}

export function parseRegistry(file: string, text: string): Registry {
  return validateRegistry(parseYamlText(file, text));
}

function validateRegistry(source: YamlSource): Registry {
  if (source.doc.contents === null) return { version: '1', servers: [] };
  const registry = validateWithMessages(source, RegistrySchema);
  const seen = new Map<string, number>();
  registry.servers.forEach((server, index) => {
    const first = seen.get(server.name);
    if (first !== undefined) {
      throw new ConfigError(
        source.file,
        lineOf(source, ['servers', index, 'name']),
        `servers[${index}].name`,
        `duplicates server name "${server.name}" (first defined at servers[${first}])`,
      );
    }
    seen.set(server.name, index);
  });
  return registry;
}
