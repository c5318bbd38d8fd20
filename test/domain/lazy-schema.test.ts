import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { targetChangeSchema } from '../../src/contracts/township';
import { lazySchema, lazySchemasBuilt, optionalWhenPresent } from '../../src/domain/lazy-schema';
// Every workflow of the product, loaded as the worker's bundle loads them.
import '../../src/workflows';

test('loading the workflows builds no schema; the first parse builds the ones it needs', () => {
  expect(lazySchemasBuilt()).toBe(0);
  const r = targetChangeSchema.safeParse({ village: 'QS03', date: '2019-13-01' });
  expect(r.success).toBe(false);
  expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['date']);
  expect(lazySchemasBuilt()).toBeGreaterThan(0);
});

test('no module that workflows load builds a schema at the top level', () => {
  const src = path.resolve(__dirname, '../../src');
  const eager = ['contracts', 'domain'].flatMap((room) =>
    readdirSync(path.join(src, room))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        readFileSync(path.join(src, room, f), 'utf8')
          .split('\n')
          .map((line, i) => [`${room}/${f}:${i + 1}`, line] as const)
          .filter(([, line]) => /^(export )?const \w+(: [^=]+)? = (z\b|\w+Schema\.|text\(|optionalText\()/.test(line))
          .map(([where]) => where),
      ),
  );
  expect(eager).toEqual([]);
});

test('a stand-in behaves as its schema: parsing, composing, instanceof, JSON Schema', () => {
  let builds = 0;
  const code = lazySchema(() => {
    builds++;
    return z.string().trim().min(2, '至少2个字');
  });
  const entry = lazySchema(() => z.strictObject({ code, note: code.optional() }));
  expect(builds).toBe(0);
  expect(entry.parse({ code: ' QS03 ' })).toEqual({ code: 'QS03' });
  expect(entry.safeParse({ code: 'Q', extra: 1 }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
    ['code', '至少2个字'],
    ['', expect.stringContaining('extra')],
  ]);
  expect(builds).toBe(1);
  expect(entry instanceof z.ZodObject).toBe(true);
  expect(Object.keys(entry.shape)).toEqual(['code', 'note']);
  expect(z.toJSONSchema(entry, { io: 'input' })).toMatchObject({ type: 'object', required: ['code'], properties: { code: { type: 'string', minLength: 2 } } });
});

test('a field built only when present: absent, nothing is built; present, it parses with its paths', () => {
  let builds = 0;
  const policy = lazySchema(() => {
    builds++;
    return z.strictObject({ hour: z.number().min(6, '不能早于6时'), basis: z.string().default('county-practice') });
  });
  const input = z.strictObject({ township: z.string(), policy: optionalWhenPresent(policy) });
  expect(input.parse({ township: 'QS' })).toEqual({ township: 'QS' });
  expect(builds).toBe(0);
  expect(input.parse({ township: 'QS', policy: { hour: 9 } })).toEqual({ township: 'QS', policy: { hour: 9, basis: 'county-practice' } });
  expect(input.safeParse({ township: 'QS', policy: { hour: 5, extra: 1 } }).error?.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
    ['policy.hour', 'too_small'],
    ['policy', 'unrecognized_keys'],
  ]);
  expect(input.safeParse({ township: 'QS', policy: 'strict' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['policy']);
  expect(builds).toBe(1);
});
