/**
 * Runs one peer as a child process and samples the memory of its whole process tree (a Spark peer is Python plus
 * the JVM it starts) from /proc: the peak of the summed RSS, overall and until the peer says training is over
 * (a line "bench-peers:phase=export" on stderr; the export that follows may collect factors into Python lists).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export const PHASE_EXPORT = 'bench-peers:phase=export';
const PAGE_BYTES = 4096;
const SAMPLE_MS = 50;

export interface LaunchOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs: number;
  /** Hears the child's stderr, line by line (the phase marker excluded). */
  readonly log?: (line: string) => void;
}

export interface LaunchResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly wallSeconds: number;
  /** Peak of the tree's summed RSS over the whole run; 0 where /proc cannot be read. */
  readonly peakTreeRssBytes: number;
  /** The same until the phase marker (the whole run when the child never printed it). */
  readonly trainingPeakTreeRssBytes: number;
  /** The last stderr lines, for an error message. */
  readonly stderrTail: readonly string[];
}

/** Process groups of the children running now: a Ctrl-C of bench-peers ends them too (they lead their own groups). */
const running = new Set<number>();
let handlersInstalled = false;

function endRunning(signal: NodeJS.Signals): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

export function launch(command: string, args: readonly string[], options: LaunchOptions): Promise<LaunchResult> {
  const started = performance.now();
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.once('SIGINT', () => endRunning('SIGINT'));
    process.once('SIGTERM', () => endRunning('SIGTERM'));
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    if (child.pid !== undefined) running.add(child.pid);
    let peak = 0;
    let trainingPeak = 0;
    let training = true;
    let timedOut = false;
    const sample = (): void => {
      if (child.pid === undefined) return;
      const rss = treeRssBytes(child.pid);
      peak = Math.max(peak, rss);
      if (training) trainingPeak = peak;
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    const timer = setTimeout(() => {
      timedOut = true;
      // The child leads its own process group: end it and everything it started (the JVM).
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }, options.timeoutMs);
    const tail: string[] = [];
    let partial = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === PHASE_EXPORT) {
          sample();
          training = false;
          continue;
        }
        tail.push(line);
        if (tail.length > 40) tail.shift();
        options.log?.(line);
      }
    });
    child.on('error', (error) => {
      if (child.pid !== undefined) running.delete(child.pid);
      clearInterval(sampler);
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (child.pid !== undefined) running.delete(child.pid);
      clearInterval(sampler);
      clearTimeout(timer);
      if (partial) tail.push(partial);
      resolvePromise({
        code,
        signal,
        timedOut,
        wallSeconds: (performance.now() - started) / 1000,
        peakTreeRssBytes: peak,
        trainingPeakTreeRssBytes: trainingPeak,
        stderrTail: tail,
      });
    });
  });
}

/** Σ RSS over the process and all its descendants, from /proc/<pid>/stat (0 when /proc is not there). */
export function treeRssBytes(root: number): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    const ppid = Number(fields[1]);
    rss.set(pid, Number(fields[21]) * PAGE_BYTES);
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}
