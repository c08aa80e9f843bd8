/** Which model folder is current, kept on disk so the next start serves the latest run's model at once. */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { localRunFolder } from './run-files.js';

export interface ModelPointer {
  /** The current model folder's location, or null when none was kept (or the pointer is unreadable). */
  read(): Promise<string | null>;
  write(location: string): Promise<void>;
}

/** A pointer in a small JSON file, e.g. DATA_DIR/models/current.json: {"model": "/…/runs/<id>/model"}. */
export function fileModelPointer(path: string): ModelPointer {
  const folder = localRunFolder(dirname(path));
  const name = basename(path);
  return {
    async read() {
      try {
        const raw: unknown = JSON.parse(await readFile(path, 'utf8'));
        const model = (raw as { model?: unknown } | null)?.model;
        return typeof model === 'string' && model !== '' ? model : null;
      } catch {
        return null; // missing or damaged: the caller falls back to the base model
      }
    },
    async write(location) {
      await folder.write(name, `${JSON.stringify({ model: location, savedAt: new Date().toISOString() })}\n`);
    },
  };
}
