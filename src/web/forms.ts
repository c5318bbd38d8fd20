/**
 * HTML forms to action bodies. Field names say where a value goes and what it is:
 * `entries.0.progress` nests, `year:number` is a number, `transformed:bool` a checkbox,
 * `measures:lines` one array item per non-empty line, `departments:list` every value of a repeated
 * field (checkboxes). Empty optional fields are left out. `measures.0.stage:row` belongs to a row
 * of a repeated group: it is kept only when the row has another value (and is not empty), and rows
 * left empty are dropped, so a form may offer more rows than are filled in (`:row-number` for a number).
 *
 * A field name is the client's text: every object built here has no prototype, and a name whose
 * path would reach one (`__proto__`, `constructor`, `prototype`) or grow an array without bound
 * is refused with the field named, before anything is built.
 */

/** A field name the form builder will not follow. */
export class FormFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FormFieldError';
  }
}

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** More rows than any form of the workbench has (a report lists a township's targets). */
const MAX_INDEX = 999;
const MAX_DEPTH = 6;

type Container = Record<string, unknown> | unknown[];

function emptyObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** The path of a field name, each segment checked. */
function pathOf(name: string): string[] {
  const path = name.split('.');
  if (path.length > MAX_DEPTH) throw new FormFieldError(name, `字段名“${name}”层级过深`);
  for (const seg of path) {
    if (seg === '' || FORBIDDEN_SEGMENTS.has(seg)) throw new FormFieldError(name, `不接受字段名“${name}”`);
    if (/^\d+$/.test(seg) && Number(seg) > MAX_INDEX) throw new FormFieldError(name, `字段名“${name}”的序号超过${MAX_INDEX}`);
  }
  return path;
}

export function formToBody(form: Record<string, string | string[]>): Record<string, unknown> {
  return parseForm(form).body;
}

/**
 * The body, and the field name a path of the body came from: rows left empty are dropped, so the
 * third row filled may be the body's first, and a problem with it belongs beside the third.
 */
export function parseForm(form: Record<string, string | string[]>): { body: Record<string, unknown>; fieldOf: (path: string) => string } {
  const body = emptyObject();
  const rowValues: [string[], unknown, string][] = [];
  for (const [rawName, rawValue] of Object.entries(form)) {
    if (rawName.startsWith('_')) continue;
    const value = Array.isArray(rawValue) ? rawValue.at(-1)! : rawValue;
    const [name, type] = rawName.split(':') as [string, string | undefined];
    const path = pathOf(name);
    let v: unknown;
    switch (type) {
      case 'row':
      case 'row-number':
        // An empty choice of a row (a select's "none") says nothing.
        if (value.trim() === '') continue;
        rowValues.push([path, type === 'row-number' && /^\d+$/.test(value.trim()) ? Number(value) : value, name]);
        continue;
      case 'list':
        v = (Array.isArray(rawValue) ? rawValue : [rawValue]).filter((x) => x.trim() !== '');
        break;
      case 'number':
        if (value.trim() === '') continue;
        v = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
        break;
      case 'bool':
        v = value === 'true' || value === 'on';
        break;
      case 'lines':
        v = value
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean);
        break;
      case 'optional':
        if (value.trim() === '') continue;
        v = value;
        break;
      default:
        v = value;
    }
    set(body, path, v, name);
  }
  // A row's own values go where the row has others; rows nobody filled in leave no gap.
  for (const [path, value, name] of rowValues) if (lookup(body, path.slice(0, -1)) !== undefined) set(body, path, value, name);
  const renumbered = new Map<string, number[]>();
  compact(body, '', renumbered);
  const fieldOf = (path: string): string => {
    const out: string[] = [];
    for (const seg of path.split('.')) {
      const was = /^\d+$/.test(seg) ? renumbered.get(out.join('.')) : undefined;
      out.push(was ? String(was[Number(seg)] ?? seg) : seg);
    }
    return out.join('.');
  };
  return { body, fieldOf };
}

function lookup(root: Container, path: readonly string[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Arrays without the holes of rows left empty; where a row moved up, the form's index it had (by the field name it came from). */
function compact(v: unknown, at: string, renumbered: Map<string, number[]>): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const container = v as Record<string, unknown>;
  if (Array.isArray(v)) {
    const kept = Object.keys(v).map(Number);
    if (kept.some((old, i) => old !== i)) renumbered.set(at, kept);
    const list = kept.map((old) => v[old] as unknown);
    v.length = 0;
    v.push(...list);
  }
  for (const k of Object.keys(container)) container[k] = compact(container[k], at === '' ? k : `${at}.${k}`, renumbered);
  return v;
}

function set(target: Record<string, unknown>, path: readonly string[], value: unknown, name: string): void {
  let cur: Container = target;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const last = i === path.length - 1;
    const isIndex = /^\d+$/.test(key);
    if (Array.isArray(cur) !== isIndex) throw new FormFieldError(name, `字段名“${name}”与同一表单的其他字段不一致`);
    const slot = cur as Record<string, unknown>;
    if (last) {
      slot[key] = value;
      return;
    }
    const existing = Object.hasOwn(slot, key) ? slot[key] : undefined;
    if (existing === undefined) {
      const next: Container = /^\d+$/.test(path[i + 1]!) ? [] : emptyObject();
      slot[key] = next;
      cur = next;
    } else if (typeof existing === 'object' && existing !== null) {
      cur = existing as Container;
    } else {
      throw new FormFieldError(name, `字段名“${name}”与同一表单的其他字段不一致`);
    }
  }
}

/** Parses an urlencoded body, keeping repeated names as arrays; the result has no prototype. */
export function parseUrlEncoded(text: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
