/** Where progress goes: process.stderr, or anything with write() (and isTTY/columns when it is a terminal). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  /** Shown after the counts, e.g. "ratings" or "MB". */
  readonly unit?: string;
  readonly stream?: ProgressStream;
  /** For tests: the clock in milliseconds. */
  readonly now?: () => number;
}

export interface Progress {
  /** Sets how much is done so far (0…total). */
  update(done: number): void;
  /** Prints the final line with the elapsed time. */
  finish(): void;
}

/** Redraws at most this often on a terminal. */
const TTY_INTERVAL_MS = 100;
/** Elsewhere (logs, CI): a line at every 10 % step, or after this long without one. */
const LOG_INTERVAL_MS = 30_000;
const BAR_WIDTH = 30;

/** A one-line progress bar on a terminal; on anything else only occasional lines and the final one. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const total = Math.max(0, options.total);
  const unit = options.unit ? ` ${options.unit}` : '';
  const tty = stream.isTTY === true;
  const started = now();
  let lastDraw = -Infinity;
  let lastDecile = 0;
  let done = 0;
  let finished = false;

  const describe = (): string => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? ` ${formatCount(done / seconds)}${unit}/s` : '';
    return `${options.label} ${(fraction * 100).toFixed(0).padStart(3)}% ${formatCount(done)}/${formatCount(total)}${unit} ${seconds.toFixed(1)}s${rate}`;
  };

  return {
    update(value: number): void {
      if (finished) return;
      done = value;
      const time = now();
      if (tty) {
        if (time - lastDraw < TTY_INTERVAL_MS) return;
        lastDraw = time;
        const fraction = total > 0 ? Math.min(1, done / total) : 1;
        const filled = Math.round(fraction * BAR_WIDTH);
        const line = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${describe()}`;
        stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\x1b[K`);
        return;
      }
      const decile = total > 0 ? Math.floor((10 * Math.min(done, total)) / total) : 10;
      if (decile > lastDecile && decile < 10) {
        lastDecile = decile;
        lastDraw = time;
        stream.write(`${describe()}\n`);
      } else if (time - lastDraw >= LOG_INTERVAL_MS && time - started >= LOG_INTERVAL_MS) {
        lastDraw = time;
        stream.write(`${describe()}\n`);
      }
    },
    finish(): void {
      if (finished) return;
      finished = true;
      stream.write(`${tty ? '\r' : ''}${describe()} done${tty ? '\x1b[K' : ''}\n`);
    },
  };
}

/** 1234567 → "1.23M": short enough for one line. */
export function formatCount(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}
