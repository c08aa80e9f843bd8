/** How far an eigendecomposition G = Q·diag(values)·Qᵀ (Q's columns the vectors, row-major) is from exact. */
export function eigenErrors(g: ArrayLike<number>, k: number, values: ArrayLike<number>, vectors: ArrayLike<number>): { rebuild: number; orthogonality: number } {
  let rebuild = 0;
  let orthogonality = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let back = 0;
      let qtq = 0;
      for (let j = 0; j < k; j++) {
        back += vectors[a * k + j] * values[j] * vectors[b * k + j];
        qtq += vectors[j * k + a] * vectors[j * k + b];
      }
      rebuild = Math.max(rebuild, Math.abs(back - g[a * k + b]));
      orthogonality = Math.max(orthogonality, Math.abs(qtq - (a === b ? 1 : 0)));
    }
  }
  return { rebuild, orthogonality };
}
