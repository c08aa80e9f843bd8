/**
 * Which model folder is current, kept in a small JSON file so the next start serves the latest run's model at once:
 * {"model": "<location of the model folder>", "savedAt": "…"}, in any RunFolder (a local folder or Cloud Storage).
 */
import { basename, dirname } from 'node:path';
import { localRunFolder, type RunFolder } from './run-files.js';

export interface ModelPointer {
  /** The current model folder's location, or null when none was kept (or the pointer is unreadable). */
  read(): Promise<string | null>;
  write(location: string): Promise<void>;
}

/**
 * The pointer file `name` of `folder` (e.g. gs://bucket/models + 'current.json'). Written whole (RunFolder.write), so
 * a reader sees the old pointer or the new one. Any failure to read it (missing, damaged, unreachable) is null:
 * the caller falls back to the base model.
 */
export function folderModelPointer(folder: RunFolder, name: string): ModelPointer {
  folder.pathOf(name); // a bad name fails here, not at the first read
  return {
    async read() {
      try {
        const bytes = await folder.read(name);
        if (bytes === null) return null;
        const raw: unknown = JSON.parse(new TextDecoder().decode(bytes));
        const model = (raw as { model?: unknown } | null)?.model;
        return typeof model === 'string' && model !== '' ? model : null;
      } catch {
        return null; // missing, damaged or unreachable: the caller falls back to the base model
      }
    },
    async write(location) {
      await folder.write(name, `${JSON.stringify({ model: location, savedAt: new Date().toISOString() })}\n`);
    },
  };
}

/** A pointer in a local JSON file, e.g. DATA_DIR/models/current.json: {"model": "/…/runs/<id>/model"}. */
export function fileModelPointer(path: string): ModelPointer {
  return folderModelPointer(localRunFolder(dirname(path)), basename(path));
}
