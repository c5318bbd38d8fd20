/**
 * Lookups by key over a roster's lists, each index built once per list. A province's roster holds
 * 20,000 people and 10,000 villages; scanning them for every mail (who holds the post, the
 * village's name) made the 10,000-mail instant grow with the square of the province.
 *
 * An index belongs to its array (a WeakMap, so it goes with the roster) and is rebuilt when the
 * array's length changes; rosters are replaced, not edited, so that guard is for tests that push
 * a person into a roster they built. The first element with a key comes first in its group, so
 * `first` answers as `Array.prototype.find` does.
 */
const indexes = new WeakMap<readonly unknown[], Map<string, { length: number; groups: Map<string, unknown[]> }>>();

export function grouped<T>(list: readonly T[], name: string, key: (item: T) => string | undefined): ReadonlyMap<string, readonly T[]> {
  let byName = indexes.get(list);
  if (!byName) indexes.set(list, (byName = new Map()));
  let index = byName.get(name);
  if (!index || index.length !== list.length) {
    const groups = new Map<string, T[]>();
    for (const item of list) {
      const k = key(item);
      if (k === undefined) continue;
      const group = groups.get(k);
      if (group) group.push(item);
      else groups.set(k, [item]);
    }
    index = { length: list.length, groups };
    byName.set(name, index);
  }
  return index.groups as Map<string, T[]>;
}

/** The first item whose `key` is `value` (as `list.find`), by the index named `name`. */
export function first<T>(list: readonly T[], name: string, key: (item: T) => string | undefined, value: string): T | undefined {
  return grouped(list, name, key).get(value)?.[0];
}

/** Common indexes: by `code` and by `id`. */
export const byCode = <T extends { readonly code: string }>(list: readonly T[], code: string): T | undefined => first(list, 'code', (x) => x.code, code);
export const byId = <T extends { readonly id: string }>(list: readonly T[], id: string): T | undefined => first(list, 'id', (x) => x.id, id);
