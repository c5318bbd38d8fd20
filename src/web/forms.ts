/**
 * HTML forms to action bodies. Field names say where a value goes and what it is:
 * `entries.0.progress` nests, `year:number` is a number, `transformed:bool` a checkbox,
 * `measures:lines` one array item per non-empty line. Empty optional fields are left out.
 */
export function formToBody(form: Record<string, string | string[]>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [rawName, rawValue] of Object.entries(form)) {
    if (rawName.startsWith('_')) continue;
    const value = Array.isArray(rawValue) ? rawValue.at(-1)! : rawValue;
    const [name, type] = rawName.split(':') as [string, string | undefined];
    let v: unknown;
    switch (type) {
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
    set(body, name.split('.'), v);
  }
  return body;
}

function set(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cur: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const nextIsIndex = /^\d+$/.test(path[i + 1]!);
    const container = cur as Record<string, unknown>;
    if (container[key] === undefined) container[key] = nextIsIndex ? [] : {};
    cur = container[key] as Record<string, unknown>;
  }
  (cur as Record<string, unknown>)[path.at(-1)!] = value;
}

/** Parses an urlencoded body, keeping repeated names as arrays. */
export function parseUrlEncoded(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
