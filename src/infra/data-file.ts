import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/**
 * A file an operator writes (policy, holiday arrangement, request body, simulation scenario):
 * JSON by its .json extension, YAML otherwise. Throws what reading or parsing threw; each caller
 * words it for its own file.
 */
export function readDataFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
}
