/**
 * Running gcloud: one command at a time, arguments as an array (never through a shell), secrets only on stdin, and
 * the command line printed exactly as a shell would take it.
 */
import { spawn } from 'node:child_process';

export interface GcloudResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface GcloudOptions {
  /** Written to gcloud's stdin (for --data-file=-); never printed or logged. */
  readonly input?: string;
  /** Pass gcloud's stderr (progress of deploys and index builds) through to ours as it comes. */
  readonly stream?: boolean;
}

/** Runs `gcloud ...args`; resolves with the exit code and output (a non-zero code is not an error here). */
export type GcloudRunner = (args: readonly string[], options?: GcloudOptions) => Promise<GcloudResult>;

export class GcloudMissingError extends Error {
  override name = 'GcloudMissingError';
}

/** The real gcloud on PATH (or $GCLOUD). */
export function spawnGcloud(binary = process.env.GCLOUD || 'gcloud'): GcloudRunner {
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(binary, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => {
        err.push(chunk);
        // Long operations (deploys, index builds) report progress on stderr: pass it through so nobody stares at
        // a silent terminal for minutes. gcloud never echoes stdin, so a secret cannot appear here.
        if (options.stream) process.stderr.write(chunk);
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ENOENT' ? new GcloudMissingError(`${binary} is not installed or not on PATH (install the Google Cloud CLI, or try --dry-run)`) : error);
      });
      child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
      child.stdin.on('error', () => {}); // gcloud may exit before reading stdin; the exit code tells
      child.stdin.end(options.input ?? '');
    });
}

/** The command line as it would be typed: arguments with shell metacharacters in single quotes. */
export function formatCommand(program: string, args: readonly string[]): string {
  return [program, ...args].map(shellQuote).join(' ');
}

export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_\-+=.,:/@%^]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** gcloud's way of saying the thing looked up is not there. */
export function isNotFound(result: GcloudResult): boolean {
  return result.code !== 0 && /NOT_FOUND|not found|does not exist|does not contain an App Engine application|404|could not find/i.test(result.stderr);
}

/** gcloud's way of saying the thing to create is already there (fine: another run, or a race, made it). */
export function isAlreadyExists(result: GcloudResult): boolean {
  return result.code !== 0 && /ALREADY_EXISTS|already exists|409/i.test(result.stderr);
}

/** A failed gcloud command: the command line and gcloud's last words (stdin is never included). */
export class GcloudCommandError extends Error {
  override name = 'GcloudCommandError';
  constructor(
    readonly args: readonly string[],
    readonly result: GcloudResult,
  ) {
    const tail = result.stderr.trim().split('\n').filter((line) => line.trim() !== '').slice(-3).join(' | ');
    super(`${formatCommand('gcloud', args)} failed (exit ${result.code})${tail ? `: ${tail}` : ''}`);
  }
}
