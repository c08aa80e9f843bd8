import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
process.once('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A new folder in os.tmpdir() holding the given files (text is written as UTF-8), removed when the process exits. */
export function tempFolder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'moviehunter-catalog-'));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** One file in a new temp folder; its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  return join(tempFolder({ [name]: content }), name);
}

/** A pattern for an error message that starts "path:line: " (file and line named) and then matches pattern. */
export function fileLinePattern(path: string, line: number | null, pattern: RegExp): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}${line === null ? '' : `:${line}`}: .*${pattern.source}`);
}
