/** One line of the benchmark table: a figure, its target, what was measured and whether it holds. */
export type Unit = 'ms' | 's' | 'GB';
export type Status = 'PASS' | 'FAIL' | 'ERROR' | 'SKIP';

export interface RowSpec {
  readonly id: string;
  readonly figure: string;
  /** The target: measured must be ≤ limit (in unit). */
  readonly limit: number;
  readonly unit: Unit;
}

export interface RowResult extends RowSpec {
  readonly target: string;
  readonly measured: number | null;
  readonly status: Status;
  readonly note: string;
}

export type Recorder = (id: string, measured: number, note?: string) => void;

/** A set of rows measured together (they share data or a trained model). */
export interface BenchGroup {
  readonly name: string;
  readonly specs: readonly RowSpec[];
  /** Set when the whole group is skipped (e.g. --quick); its rows print as SKIP with this reason. */
  readonly skip?: string;
  run(record: Recorder): Promise<void>;
}

/** Runs a group; a row it never recorded becomes ERROR with the group's exception (or "not measured"). */
export async function runGroup(group: BenchGroup): Promise<RowResult[]> {
  const measured = new Map<string, { value: number; note: string }>();
  let failure = '';
  if (!group.skip) {
    try {
      await group.run((id, value, note = '') => {
        if (!group.specs.some((s) => s.id === id)) throw new Error(`bench group ${group.name}: unknown row ${id}`);
        measured.set(id, { value, note });
      });
    } catch (error) {
      failure = (error as Error).message.split('\n')[0];
      process.stderr.write(`bench ${group.name}: ${(error as Error).stack ?? failure}\n`);
    }
  }
  return group.specs.map((spec) => {
    const target = `≤ ${formatValue(spec.limit, spec.unit)}`;
    if (group.skip) return { ...spec, target, measured: null, status: 'SKIP', note: group.skip };
    const m = measured.get(spec.id);
    if (!m) return { ...spec, target, measured: null, status: 'ERROR', note: failure || 'not measured' };
    const status: Status = Number.isFinite(m.value) && m.value <= spec.limit ? 'PASS' : 'FAIL';
    return { ...spec, target, measured: m.value, status, note: m.note };
  });
}

export function formatValue(value: number, unit: Unit): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : value >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

/** The one table the bench prints. */
export function formatTable(rows: readonly RowResult[]): string {
  const cells = rows.map((r) => [r.figure, r.target, r.measured === null ? '-' : formatValue(r.measured, r.unit), r.status, r.note]);
  const header = ['figure', 'target', 'measured', 'result', 'note'];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: readonly string[]) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
