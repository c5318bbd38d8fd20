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

// A directory: the bundler resolves its index with the .ts or .js extension, under tsx or compiled.
export const workflowsPath = path.join(__dirname, 'workflows');

export const workflowBundlerOptions = {
  preloadModules: ['zod', path.join(__dirname, 'domain', 'messages')],
};
