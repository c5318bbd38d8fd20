/**
 * How the workflows are bundled, by the worker and by the tests alike.
 *
 * A worker runs all its workflows in one reused V8 context, but evaluates each workflow's modules
 * afresh when the workflow is created (a designation, a continue-as-new, a replay after eviction).
 * zod was most of that: its classes and the members it installs on their prototypes, built again
 * for every new target (about a fifth of the worker's workflow thread while 2,000 new targets
 * caught up). Preloaded modules are evaluated once, before any workflow, and shared; the SDK
 * freezes them, which zod allows once its configuration is complete: `domain/messages` completes it
 * (its Chinese messages, and the defaults zod would otherwise write on its first schema). Our own
 * modules are not shared: their state (a schema built on first use, a cache) stays each workflow's.
 */
import path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

// A directory: the bundler resolves its index with the .ts or .js extension, under tsx or compiled.
export const workflowsPath = path.join(__dirname, 'workflows');

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/**
 * Our TypeScript compiled to the syntax Node.js 20 runs natively (ES2022) rather than the SDK's
 * ES2017. Inside a workflow every global (`Object`, `Math`, `String`) is read through the V8
 * context's interceptor, several times slower than a local; ES2017 turned each object spread, `?.`
 * and `??` into helper calls that read `Object.keys`, `Object.defineProperty` and more, which were
 * the busiest functions of the date arithmetic and the duties' layout while targets were designated.
 */
function nativeSyntax(config: WebpackConfig): WebpackConfig {
  let found = false;
  for (const rule of config.module?.rules ?? []) {
    const use = rule && typeof rule === 'object' && 'use' in rule ? rule.use : undefined;
    const options = use && typeof use === 'object' && !Array.isArray(use) && 'loader' in use && String(use.loader).includes('swc-loader') ? use.options : undefined;
    const jsc = options && typeof options === 'object' ? (options as { jsc?: { target?: string } }).jsc : undefined;
    if (jsc) {
      jsc.target = 'es2022';
      found = true;
    }
  }
  // An SDK that compiles workflows otherwise would silently lose this: say so at bundling.
  if (!found) throw new Error('src/workflow-bundle.ts: the workflow bundler has no swc-loader rule to set the target of; update nativeSyntax for this SDK');
  return config;
}

export const workflowBundlerOptions = {
  preloadModules: ['zod', path.join(__dirname, 'domain', 'messages')],
  webpackConfigHook: nativeSyntax,
} satisfies Partial<BundleOptions>;
