/**
 * Validation messages in Chinese: officials read them next to the field they name. Every schema
 * of the product sets its own message where the generic one would not say enough; this covers
 * the rest (types, sizes, unknown fields). Imported for its effect by every module with schemas.
 */
import { z } from 'zod';

const typeNames: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: '是或否（true/false）',
  array: '列表',
  object: '对象',
  undefined: '空值',
  null: '空值',
};

z.config({
  // No parser compiled with `new Function`: a workflow evaluates these schemas afresh each time it
  // is created (a continue-as-new, a replay after eviction) and parses each a few times, so the
  // compilation cost more than it saved (profile of the province benchmark's worker).
  jitless: true,
  customError: (iss) => {
    switch (iss.code) {
      case 'invalid_type':
        return iss.input === undefined ? '必填' : `应为${typeNames[iss.expected] ?? iss.expected}`;
      case 'too_small':
        return iss.origin === 'string' ? `至少${String(iss.minimum)}个字` : iss.origin === 'array' ? `至少${String(iss.minimum)}项` : `不能小于${String(iss.minimum)}`;
      case 'too_big':
        return iss.origin === 'string' ? `最多${String(iss.maximum)}个字` : iss.origin === 'array' ? `最多${String(iss.maximum)}项` : `不能大于${String(iss.maximum)}`;
      case 'invalid_value':
        return `应为以下之一：${iss.values.map(String).join('、')}`;
      case 'unrecognized_keys':
        return `不认识的字段：${iss.keys.join('、')}`;
      case 'invalid_format':
        return '格式不正确';
      case 'invalid_union':
        return '输入无效';
      default:
        return undefined;
    }
  },
});

// zod sets its default locale and memoizer into its configuration when its first schema is built.
// Built here, so that a worker that loads zod and this module once for all its workflows (the
// bundle's preloaded modules, which the SDK freezes) does not have it written later.
z.object({ ready: z.string() });
