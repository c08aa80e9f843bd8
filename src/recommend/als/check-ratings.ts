import type { CsrMatrix } from '../../matrix/sparse.js';

/**
 * Refuses ratings that would train silently wrong: malformed CSR arrays, out-of-range indices, or a byItem that
 * is not the transpose's shape of byUser. O(nnz), a few milliseconds per million ratings.
 */
export function checkRatings(byUser: CsrMatrix, byItem: CsrMatrix): void {
  checkCsr('byUser', byUser);
  checkCsr('byItem', byItem);
  if (byUser.rows !== byItem.cols || byUser.cols !== byItem.rows) {
    throw new Error(`trainAls: byUser is ${byUser.rows}×${byUser.cols} but byItem is ${byItem.rows}×${byItem.cols}; byItem must be byUser transposed`);
  }
  const nnzUser = byUser.indptr[byUser.rows];
  const nnzItem = byItem.indptr[byItem.rows];
  if (nnzUser !== nnzItem) throw new Error(`trainAls: byUser holds ${nnzUser} ratings but byItem ${nnzItem}; byItem must be byUser transposed`);
}

function checkCsr(name: string, m: CsrMatrix): void {
  const { rows, cols, indptr, indices, values } = m;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) throw new Error(`trainAls: ${name} has bad shape ${rows}×${cols}`);
  if (indptr.length !== rows + 1) throw new Error(`trainAls: ${name}.indptr has ${indptr.length} entries, expected rows + 1 = ${rows + 1}`);
  if (indptr[0] !== 0) throw new Error(`trainAls: ${name}.indptr[0] is ${indptr[0]}, expected 0`);
  for (let r = 0; r < rows; r++) {
    if (indptr[r + 1] < indptr[r]) throw new Error(`trainAls: ${name}.indptr decreases at row ${r}`);
  }
  const nnz = indptr[rows];
  if (indices.length < nnz || values.length < nnz) {
    throw new Error(`trainAls: ${name} has ${nnz} entries by indptr but ${indices.length} indices and ${values.length} values`);
  }
  for (let n = 0; n < nnz; n++) {
    const c = indices[n];
    if (c < 0 || c >= cols) throw new Error(`trainAls: ${name} entry #${n} has column ${c}, outside [0, ${cols})`);
  }
}
