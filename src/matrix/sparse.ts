/** A sparse matrix in compressed sparse row form; column indices are sorted within each row. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows + 1 offsets into indices/values. */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Number of stored entries in row r. */
export function rowLength(m: CsrMatrix, r: number): number {
  return m.indptr[r + 1] - m.indptr[r];
}

/**
 * Builds a CSR matrix from coordinate triples with a counting sort (O(nnz + rows)).
 * Entries keep their input order within a row unless sortColumns is set.
 */
export function csrFromCoo(
  rows: number,
  cols: number,
  rowIdx: Int32Array,
  colIdx: Int32Array,
  values: Float32Array,
  count: number = rowIdx.length,
): CsrMatrix {
  const indptr = new Int32Array(rows + 1);
  for (let n = 0; n < count; n++) indptr[rowIdx[n] + 1]++;
  for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
  const next = indptr.slice(0, rows);
  const indices = new Int32Array(count);
  const out = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    const at = next[rowIdx[n]]++;
    indices[at] = colIdx[n];
    out[at] = values[n];
  }
  const m: CsrMatrix = { rows, cols, indptr, indices, values: out };
  sortRowsByColumn(m);
  return m;
}

/** The transpose, built in O(nnz); rows of the result come out column-sorted. */
export function transposeCsr(m: CsrMatrix): CsrMatrix {
  const nnz = m.indptr[m.rows];
  const indptr = new Int32Array(m.cols + 1);
  for (let n = 0; n < nnz; n++) indptr[m.indices[n] + 1]++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1] += indptr[c];
  const next = indptr.slice(0, m.cols);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let r = 0; r < m.rows; r++) {
    for (let n = m.indptr[r]; n < m.indptr[r + 1]; n++) {
      const at = next[m.indices[n]]++;
      indices[at] = r;
      values[at] = m.values[n];
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}

/** Sorts each row's entries by column index in place (insertion sort: rows are short or nearly sorted). */
function sortRowsByColumn(m: CsrMatrix): void {
  const { indptr, indices, values } = m;
  for (let r = 0; r < m.rows; r++) {
    const start = indptr[r];
    const end = indptr[r + 1];
    let sorted = true;
    for (let n = start + 1; n < end; n++) if (indices[n - 1] > indices[n]) { sorted = false; break; }
    if (sorted) continue;
    if (end - start > 64) {
      sortLongRow(indices, values, start, end);
      continue;
    }
    for (let n = start + 1; n < end; n++) {
      const c = indices[n];
      const v = values[n];
      let j = n - 1;
      while (j >= start && indices[j] > c) {
        indices[j + 1] = indices[j];
        values[j + 1] = values[j];
        j--;
      }
      indices[j + 1] = c;
      values[j + 1] = v;
    }
  }
}

function sortLongRow(indices: Int32Array, values: Float32Array, start: number, end: number): void {
  const order = Array.from({ length: end - start }, (_, k) => start + k);
  order.sort((a, b) => indices[a] - indices[b]);
  const cols = order.map((n) => indices[n]);
  const vals = order.map((n) => values[n]);
  indices.set(cols, start);
  values.set(vals, start);
}

/** The first (row, column) that appears twice, or null; requires column-sorted rows. */
export function findDuplicateEntry(m: CsrMatrix): { row: number; col: number } | null {
  for (let r = 0; r < m.rows; r++) {
    for (let n = m.indptr[r] + 1; n < m.indptr[r + 1]; n++) {
      if (m.indices[n] === m.indices[n - 1]) return { row: r, col: m.indices[n] };
    }
  }
  return null;
}
