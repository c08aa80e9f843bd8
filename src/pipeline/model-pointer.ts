/**
 * Which model folder is current, kept in a small JSON file so the next start serves the latest run's model at once:
 * {"model": "<location of the model folder>", "savedAt": "…"}, in any RunFolder (a local folder or Cloud Storage).
 */
import { basename, dirname } from 'node:path';
import { localRunFolder, type RunFolder } from './run-files.js';

export interface ModelPointer {
  /**
   * The current model folder's location, or null when none was kept or the pointer is unreadable; `unreadable`
   * hears why in the second case (a missing pointer is normal and says nothing).
   */
  read(unreadable?: (reason: string) => void): Promise<string | null>;
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
    async read(unreadable = () => {}) {
      let bytes: Uint8Array | null;
      try {
        bytes = await folder.read(name);
      } catch (err) {
        unreadable(`${folder.pathOf(name)} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
        return null;
      }
      if (bytes === null) return null;
      let raw: unknown;
      try {
        raw = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        unreadable(`${folder.pathOf(name)} is not JSON (${bytes.length} bytes)`);
        return null;
      }
      const model = (raw as { model?: unknown } | null)?.model;
      if (typeof model === 'string' && model !== '') return model;
      unreadable(`${folder.pathOf(name)} names no model folder (no "model" string in it)`);
      return null;
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
