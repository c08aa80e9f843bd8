/** Reading a child process's output line by line, and picking the error worth showing out of its last lines. */
import type { Readable } from 'node:stream';

/** Calls onLine for each line (CR, LF or CRLF ended; progress bars' bare CRs split too), empty lines skipped. */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split(/\r\n|\r|\n/);
    rest = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') onLine(part.trimEnd());
  });
  stream.on('end', () => {
    if (rest.trim() !== '') onLine(rest.trimEnd());
    rest = '';
  });
}

/** The last `size` lines seen. */
export class LineTail {
  private readonly kept: string[] = [];
  constructor(private readonly size: number) {}

  push(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.size) this.kept.shift();
  }

  lines(): readonly string[] {
    return this.kept;
  }
}

/** The job's own one-line error prefix (spark/als_job.py). */
export const JOB_ERROR_PREFIX = 'als_job: ';

/**
 * The reason to record for a failed job: its own "als_job: …" line when it printed one (the last), else the last
 * few lines that look like an error (Python or Java exceptions), else the last lines; at most 1,000 characters.
 */
export function lastErrorOf(lines: readonly string[]): string | null {
  const own = [...lines].reverse().find((line) => line.startsWith(JOB_ERROR_PREFIX));
  if (own !== undefined) return clip(own.slice(JOB_ERROR_PREFIX.length));
  const errors = lines.filter((line) => /error|exception|traceback/i.test(line));
  const chosen = (errors.length > 0 ? errors : lines).slice(-3).map((line) => line.trim());
  return chosen.length > 0 ? clip(chosen.join(' | ')) : null;
}

function clip(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}
