/**
 * Schemas built on first use. A workflow evaluates every module of its bundle afresh each time it
 * is created (a designation, a continue-as-new, a replay after eviction), and building the
 * product's zod schemas was most of that: about 16 of 20 ms per workflow (the bundle evaluated
 * in a reused V8 context, 7 December 2026). Most workflows never parse most schemas (an update or
 * signal of their kind parses one), so each top-level schema is a stand-in that builds the real
 * one when it is first touched and forwards everything to it.
 *
 * The stand-in is a `Proxy` forwarding reads, `in` and the prototype; it never reports own
 * properties (a zod schema's `_zod` is non-configurable, which a proxy over another object may
 * not claim), so `Object.keys` of a stand-in is empty; nothing reads a schema that way.
 */
import { z } from 'zod';

/** How many stand-ins have been built (the test that loading the workflows builds none reads it). */
let built = 0;
export const lazySchemasBuilt = (): number => built;

export function lazySchema<T extends z.core.$ZodType>(build: () => T): T {
  let schema: T | undefined;
  const real = (): T => {
    if (schema === undefined) {
      schema = build();
      built++;
    }
    return schema;
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

/**
 * An optional field whose schema is built only when the field is there. A workflow's input carries
 * a policy or calendar years only when whoever started it passed them (designations normally do
 * not); building the policy's schema to find the field absent cost a new target more than the rest
 * of its input (4 of 7 ms). A problem inside the field keeps its path (`policy.ladders...`).
 */
export function optionalWhenPresent<T extends z.ZodType>(schema: T): z.ZodOptional<T> {
  const field = z
    .unknown()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const r = schema.safeParse(value);
      if (r.success) return r.data;
      for (const issue of r.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    })
    .optional();
  // The field parses as `schema.optional()` does; its type says so.
  return field as unknown as z.ZodOptional<T>;
}
