/** Training parameters that travel with a model: fold-in must use the same confidence and regularization. */
export interface ModelParams {
  readonly rank: number;
  readonly iterations: number;
  readonly regularization: number;
  readonly alpha: number;
  /** Ratings at or above this count as liked; below it, as disliked (null: every rating is liked, c = 1 + alpha·r). */
  readonly ratingThreshold: number | null;
  /** Spark's convention: regularization scaled by each row's number of ratings. */
  readonly scaleRegularization: boolean;
  readonly seed: number;
}

/** Item factors of a trained model: what quick recommendations need (docs/run-folder.md). */
export interface ItemFactorModel {
  readonly rank: number;
  /** Dataset movie ids, the row order of itemFactors. */
  readonly itemIds: Int32Array;
  /** itemIds.length × rank, row-major. */
  readonly itemFactors: Float32Array;
  readonly params: ModelParams;
  /** Which engine trained it, e.g. "inprocess" or "spark-local". */
  readonly engine: string;
  /** ISO-8601 time of training. */
  readonly trainedAt: string;
}
