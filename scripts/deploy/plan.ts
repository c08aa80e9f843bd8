/**
 * How steps speak: every check, command, client call and file goes through Exec, which prints it and, unless this
 * is a dry run, does it. The same step code makes the dry-run plan and the real deployment, so the plan shows what a
 * real run would do, command for command.
 */
import { formatCommand, GcloudCommandError, isAlreadyExists, isNotFound, type GcloudResult, type GcloudRunner } from './gcloud.js';

export type EntryKind = 'step' | 'check' | 'run' | 'call' | 'file' | 'note';

/** One line of the plan (or of a real run's log), kept as data for the tests. */
export interface PlanEntry {
  /** The id of the step it belongs to. */
  readonly step: string;
  readonly kind: EntryKind;
  /** What was printed (without indentation). */
  readonly text: string;
  /** gcloud's arguments, for check and run. */
  readonly argv?: readonly string[];
  /** A client library call, e.g. CloudSchedulerClient.createJob, and its request. */
  readonly method?: string;
  readonly request?: unknown;
  /** The condition under which a dry run's action would happen ("if missing"). */
  readonly when?: string;
}

export class Reporter {
  readonly entries: PlanEntry[] = [];
  private step = 'preflight';

  constructor(private readonly write: (line: string) => void) {}

  startStep(id: string, title: string): void {
    this.step = id;
    const entry: PlanEntry = { step: id, kind: 'step', text: title };
    this.entries.push(entry);
    this.write('');
    this.write(title);
  }

  add(kind: Exclude<EntryKind, 'step'>, text: string, extra: Omit<PlanEntry, 'step' | 'kind' | 'text'> = {}): void {
    this.entries.push({ step: this.step, kind, text, ...extra });
    const label = kind === 'note' ? '' : `${extra.when ? `${extra.when}: ` : `${kind}: `}`;
    const [first, ...rest] = text.split('\n');
    this.write(`  ${label}${first}`);
    for (const line of rest) this.write(`      ${line}`);
  }

  get currentStep(): string {
    return this.step;
  }
}

/** What a look-up found: a dry run cannot know. */
export type Look<T> = { readonly kind: 'dry' } | { readonly kind: 'missing' } | { readonly kind: 'found'; readonly value: T };

export interface RunOptions {
  /** Shown in a dry run instead of "run": the condition under which a real run does it. */
  readonly when?: string;
  /** stdin for gcloud (secrets): never printed. */
  readonly input?: string;
  /** "Already exists" counts as success (default true: a create raced by another run, or made earlier). */
  readonly okIfExists?: boolean;
  /** Retries for errors that fade (a service account IAM does not know yet). */
  readonly retryIf?: (result: GcloudResult) => boolean;
}

export interface ExecDeps {
  readonly dryRun: boolean;
  readonly gcloud: GcloudRunner | null;
  readonly report: Reporter;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Pauses between retries (default 5 s, 10 s, 20 s, 40 s). */
  readonly retryDelaysMs?: readonly number[];
}

export class Exec {
  readonly dryRun: boolean;
  readonly report: Reporter;
  private readonly gcloud: GcloudRunner | null;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly retryDelaysMs: readonly number[];

  constructor(deps: ExecDeps) {
    this.dryRun = deps.dryRun;
    this.report = deps.report;
    this.gcloud = deps.gcloud;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.retryDelaysMs = deps.retryDelaysMs ?? [5000, 10_000, 20_000, 40_000];
    if (!this.dryRun && !this.gcloud) throw new Error('a real run needs gcloud');
  }

  /** A look-up: gcloud's output parsed when found, `missing` when gcloud says it is not there; other failures throw. */
  async look<T>(args: readonly string[], parse: (stdout: string) => T): Promise<Look<T>> {
    this.report.add('check', formatCommand('gcloud', args), { argv: args });
    if (this.dryRun) return { kind: 'dry' };
    const result = await this.gcloud!(args);
    if (result.code === 0) return { kind: 'found', value: parse(result.stdout) };
    if (isNotFound(result)) return { kind: 'missing' };
    throw new GcloudCommandError(args, result);
  }

  /** A command that changes something; null in a dry run. Failures throw (after retries, if any). */
  async run(args: readonly string[], options: RunOptions = {}): Promise<GcloudResult | null> {
    this.report.add('run', formatCommand('gcloud', args), { argv: args, ...(this.dryRun && options.when ? { when: options.when } : {}) });
    if (this.dryRun) return null;
    for (let attempt = 0; ; attempt++) {
      const result = await this.gcloud!(args, { ...(options.input !== undefined ? { input: options.input } : {}), stream: true });
      if (result.code === 0) return result;
      if ((options.okIfExists ?? true) && isAlreadyExists(result)) {
        this.note('already there: fine');
        return result;
      }
      const delay = this.retryDelaysMs[attempt];
      if (delay !== undefined && options.retryIf?.(result)) {
        this.note(`not ready yet; trying again in ${Math.round(delay / 1000)} s`);
        await this.sleep(delay);
        continue;
      }
      throw new GcloudCommandError(args, result);
    }
  }

  /** A client library call, printed with its request; `call` only runs in a real run. */
  async call<T>(method: string, request: unknown, call: () => Promise<T>, when?: string): Promise<T | null> {
    this.report.add('call', `${method} ${formatRequest(request)}`, { method, request, ...(this.dryRun && when ? { when } : {}) });
    if (this.dryRun) return null;
    return call();
  }

  /** A local file the deployment writes (or would write). */
  file(path: string, description: string): void {
    this.report.add('file', `${path} (${description})`);
  }

  note(text: string): void {
    this.report.add('note', text);
  }
}

/** Requests on one line when short, else indented JSON. */
export function formatRequest(request: unknown): string {
  const compact = JSON.stringify(request);
  return compact.length <= 100 ? compact : JSON.stringify(request, null, 2);
}

/** gcloud --format=json output; an empty output is an empty list. */
export function parseJson<T>(stdout: string): T {
  const text = stdout.trim();
  return (text === '' ? [] : JSON.parse(text)) as T;
}

/** gcloud --format=value(...) output as lines. */
export function parseLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
