/** JSON Lines parsing whose errors name the file and the line. */

export interface JsonLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly value: unknown;
}

/** Each non-blank line parsed as JSON; a bad one throws "name:line: not valid JSON (…)". */
export function parseJsonLines(text: string, name: string): JsonLine[] {
  const out: JsonLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(raw) });
    } catch (err) {
      throw new Error(`${name}:${i + 1}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
  }
  return out;
}

/** Bytes as UTF-8 text; invalid UTF-8 is an error naming the file (a truncated upload, say). */
export function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name}: not valid UTF-8 text`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as shown in an error: JSON, or "missing". */
export function show(v: unknown): string {
  if (v === undefined) return 'missing';
  const json = JSON.stringify(v);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
