import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** LibreOffice's command, where Debian's libreoffice-writer-nogui puts it (or on PATH). */
export function findSoffice(): string | undefined {
  for (const candidate of ['/usr/bin/soffice', '/usr/bin/libreoffice', '/usr/lib/libreoffice/program/soffice']) if (existsSync(candidate)) return candidate;
  return undefined;
}

/**
 * DOCX to PDF, headless, with LibreOffice. Each call uses a profile directory of its own, so that
 * conversions in parallel do not wait on one another's profile lock.
 */
export async function docxToPdf(docx: Uint8Array, soffice = findSoffice()): Promise<Uint8Array> {
  if (!soffice) throw new Error('LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)');
  const dir = mkdtempSync(path.join(tmpdir(), 'letter-pdf-'));
  try {
    const input = path.join(dir, 'letter.docx');
    writeFileSync(input, docx);
    await run(soffice, [`-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile')).href}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, input], { timeout: 120_000 });
    const output = path.join(dir, 'letter.pdf');
    if (!existsSync(output)) throw new Error('LibreOffice wrote no PDF');
    return new Uint8Array(readFileSync(output));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
