import { builtinPolicy, parsePolicy, type Policy, type PolicyIssue } from '../domain/policy';
import { readDataFile } from './data-file';

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly PolicyIssue[],
  ) {
    super(`工作规则文件有误（${file}）：\n${issues.map((i) => `  ${i.path}：${i.message}`).join('\n')}`);
    this.name = 'PolicyFileError';
  }
}

/** Reads and validates a policy file (YAML, or JSON by its .json extension), naming the path of every problem. */
export function readPolicyFile(file: string): Policy {
  let data: unknown;
  try {
    data = readDataFile(file);
  } catch (err) {
    throw new PolicyFileError(file, [{ path: '(文件)', message: `无法读取：${(err as Error).message}` }]);
  }
  const r = parsePolicy(data);
  if (!r.ok) throw new PolicyFileError(file, r.issues);
  return r.policy;
}

/** The policy in force: the configured file's, or the built-in one. */
export function currentPolicy(file: string | undefined): Policy {
  return file ? readPolicyFile(file) : builtinPolicy();
}
