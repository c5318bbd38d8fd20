/**
 * Server-rendered HTML that escapes by default: every value interpolated into `html` is escaped
 * unless it is itself `html` (or `raw`, for the few constant fragments that need it).
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (p instanceof Html) return p.value;
  if (Array.isArray(p)) return (p as readonly Part[]).map(render).join('');
  return escape(String(p));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** A constant fragment, never user data. */
export function raw(s: string): Html {
  return new Html(s);
}

/**
 * Each data cell labelled with its column's header (`data-label`), so that on a phone, where a
 * table's rows become stacked cards and its header row is hidden, every value still says what it
 * is. Our tables are flat (a header row of <th>, then rows of <td>); a cell already labelled, or
 * a table without a header row, is left as it is.
 */
export function labelCells(page: string): string {
  return page.replace(/<table\b[^>]*>[\s\S]*?<\/table>/g, (table) => {
    const head = /<tr\b[^>]*>((?:\s*<th\b[^>]*>[\s\S]*?<\/th>)+)\s*<\/tr>/.exec(table);
    if (!head) return table;
    const labels = [...head[1]!.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/"/g, '&quot;').trim());
    return table.replace(/<tr\b[^>]*>[\s\S]*?<\/tr>/g, (row) => {
      if (!/<td\b/.test(row)) return row;
      let i = 0;
      return row.replace(/<td\b[^>]*>/g, (cell) => {
        const label = labels[i++];
        return label && !cell.includes('data-label') ? `<td data-label="${label}"${cell.slice(3)}` : cell;
      });
    });
  });
}
