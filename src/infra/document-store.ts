/**
 * The documents as they were mailed (函询函, 约谈通知, 呈批件, 交办任务书, the plan, the bulletin):
 * the exact bytes, kept when first rendered for a mail, so that what the workbench offers for
 * download is the very file its addressees received under the same 文号. The worker writes; the
 * API reads (one folder both see: `DOCUMENT_DIR`, a shared volume in the compose file).
 *
 * A document is kept under its mail's key (the workflow id, then what and which step), one folder
 * per workflow so that a case's or a target's page lists its own. A mail sent again with the same
 * content (a retry, another recipient of the same letter) is given the stored bytes, not a new
 * rendering; one whose content changed (a refused letter resent with its deadline counted anew)
 * replaces it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface StoredFile {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export interface DocumentMeta {
  /** The mail's key: `<workflow id>/<what>/<step>`. */
  readonly key: string;
  readonly title: string;
  readonly docNumber?: string;
  /** ISO instant it was first kept (or replaced). */
  readonly at: string;
  readonly files: readonly { readonly filename: string; readonly contentType: string; readonly size: number }[];
}

export interface DocumentStore {
  /**
   * The files of the mail `key` for a document whose content is `content` (any JSON: the letter
   * as laid out): the kept ones when the content is the same, otherwise `render`ed and kept.
   */
  filesFor(key: string, describe: { title: string; docNumber?: string }, content: unknown, render: () => Promise<StoredFile[]>): Promise<StoredFile[]>;
  /** The documents kept for a workflow, oldest first. */
  list(workflowId: string): Promise<DocumentMeta[]>;
  /** One file of a workflow's documents, by its name (as listed). */
  file(workflowId: string, filename: string): Promise<StoredFile | undefined>;
  readonly description: string;
}

interface Meta extends DocumentMeta {
  readonly fingerprint: string;
  /** File names on disk, by the listed names' order. */
  readonly stored: readonly string[];
}

const hash = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');
/** A folder name for any id: readable where it can be, never a path. */
const folder = (s: string): string => encodeURIComponent(s).replace(/\./g, '%2E').replace(/%/g, '_');

function workflowOf(key: string): { workflowId: string; rest: string } {
  const at = key.indexOf('/');
  return at < 0 ? { workflowId: key, rest: '_' } : { workflowId: key.slice(0, at), rest: key.slice(at + 1) };
}

export interface FileDocumentStoreOptions {
  readonly now?: () => number;
  /**
   * Told when a rendered document could not be kept (a full disk, a read-only folder): the mail
   * goes out all the same, its download is then made anew. Mail is never held up by the store.
   */
  readonly keepFailed?: (key: string, err: Error) => void;
}

export function fileDocumentStore(dir: string, o: FileDocumentStoreOptions = {}): DocumentStore {
  const now = o.now ?? Date.now;
  const root = path.resolve(dir);
  const folderOf = (workflowId: string): string => path.join(root, folder(workflowId));
  const metaPath = (key: string): string => {
    const { workflowId, rest } = workflowOf(key);
    return path.join(folderOf(workflowId), `${hash(rest).slice(0, 24)}.json`);
  };
  const readMeta = async (file: string): Promise<Meta | undefined> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Meta;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  /** Written whole or not at all: a reader never sees half a file. */
  const writeAtomic = async (file: string, data: string | Uint8Array): Promise<void> => {
    const tmp = `${file}.${process.pid}.${hash(String(now()) + Math.random()).slice(0, 8)}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, file);
  };
  const load = async (m: Meta): Promise<StoredFile[]> => {
    const dirOf = path.dirname(metaPath(m.key));
    return Promise.all(m.files.map(async (f, i) => ({ filename: f.filename, contentType: f.contentType, content: new Uint8Array(await readFile(path.join(dirOf, m.stored[i]!))) })));
  };

  const keep = async (file: string, kept: Meta | undefined, key: string, describe: { title: string; docNumber?: string }, fingerprint: string, files: StoredFile[]): Promise<void> => {
    const dirOf = path.dirname(file);
    await mkdir(dirOf, { recursive: true });
    // Each file under its content's hash: a replaced document's files are new names, its old ones removed after.
    const stored = files.map((f) => `${hash(f.content).slice(0, 24)}${path.extname(f.filename)}`);
    await Promise.all(files.map((f, i) => writeAtomic(path.join(dirOf, stored[i]!), f.content)));
    const meta: Meta = {
      key,
      title: describe.title,
      ...(describe.docNumber ? { docNumber: describe.docNumber } : {}),
      at: new Date(now()).toISOString(),
      files: files.map((f) => ({ filename: f.filename, contentType: f.contentType, size: f.content.byteLength })),
      fingerprint,
      stored,
    };
    await writeAtomic(file, JSON.stringify(meta));
    for (const old of kept?.stored ?? []) if (!stored.includes(old)) await unlink(path.join(dirOf, old)).catch(() => undefined);
  };

  return {
    description: root,
    async filesFor(key, describe, content, render) {
      const fingerprint = hash(JSON.stringify(content));
      const file = metaPath(key);
      // A store that cannot be read holds no mail up: the letter is made anew.
      const kept = await readMeta(file).catch(() => undefined);
      if (kept && kept.fingerprint === fingerprint) {
        const files = await load(kept).catch(() => undefined);
        if (files) return files;
      }
      const files = await render();
      try {
        await keep(file, kept, key, describe, fingerprint, files);
      } catch (err) {
        o.keepFailed?.(key, err as Error);
      }
      return files;
    },
    async list(workflowId) {
      let names: string[];
      try {
        names = await readdir(folderOf(workflowId));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const metas = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readMeta(path.join(folderOf(workflowId), n))));
      return metas
        .filter((m): m is Meta => m !== undefined)
        .sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key))
        .map(({ key, title, docNumber, at, files }) => ({ key, title, ...(docNumber ? { docNumber } : {}), at, files }));
    },
    async file(workflowId, filename) {
      const metas = await this.list(workflowId);
      // The latest document with that file name (a talk notice scheduled again is a new document).
      const m = [...metas].reverse().find((x) => x.files.some((f) => f.filename === filename));
      if (!m) return undefined;
      const full = await readMeta(metaPath(m.key));
      if (!full) return undefined;
      const i = full.files.findIndex((f) => f.filename === filename);
      const [one] = await load({ ...full, files: [full.files[i]!], stored: [full.stored[i]!] });
      return one;
    },
  };
}
