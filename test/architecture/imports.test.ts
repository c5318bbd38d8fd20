import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

/**
 * The house as docs/architecture.md draws it: rooms (the folders and top files of src/) in layers,
 * each importing only from its own layer or below, and no file importing itself round a circle.
 */
const src = path.resolve(__dirname, '../../src');

const LAYERS: readonly (readonly string[])[] = [
  ['domain'],
  ['contracts', 'search-attributes', 'config'],
  ['documents', 'infra'],
  ['workflows', 'activities', 'workflow-bundle'],
  ['client'],
  ['service'],
  ['web'],
  ['api', 'cli-api'],
  ['cli', 'worker', 'demo', 'dev'],
];
const layerOf = new Map(LAYERS.flatMap((rooms, i) => rooms.map((r) => [r, i] as const)));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : name.endsWith('.ts') ? [full] : [];
  });
}

const roomOf = (file: string): string => path.relative(src, file).split(path.sep)[0]!.replace(/\.ts$/, '');

function resolve(from: string, spec: string): string {
  const target = path.resolve(path.dirname(from), spec);
  try {
    if (statSync(target).isDirectory()) return path.join(target, 'index.ts');
  } catch {
    // a module file, not a folder
  }
  return `${target}.ts`;
}

const graph = new Map(
  files(src).map((f) => {
    const text = readFileSync(f, 'utf8');
    const specs = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom '(\.[^']*)';/gms)].map((m) => resolve(f, m[1]!));
    return [f, specs] as const;
  }),
);

test('every room of src/ is in a layer, and imports only from its layer or below', () => {
  const unplaced = [...new Set([...graph.keys()].map(roomOf))].filter((r) => !layerOf.has(r));
  expect(unplaced).toEqual([]);
  const upward: string[] = [];
  for (const [file, targets] of graph) {
    for (const t of targets) {
      const [a, b] = [roomOf(file), roomOf(t)];
      if (layerOf.get(b)! > layerOf.get(a)!) upward.push(`${path.relative(src, file)} → ${path.relative(src, t)}`);
    }
  }
  expect(upward).toEqual([]);
});

test('no circle of imports between files', () => {
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') circles.push([...stack.slice(stack.indexOf(t)), t].map((x) => path.relative(src, x)).join(' → '));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  expect(circles).toEqual([]);
});
