#!/usr/bin/env python3
"""
The `implicit` library's CPU ALS as a peer of scripts/bench-peers: reads the training ratings, fits
implicit.cpu.als.AlternatingLeastSquares with the run's parameters, and exports both factor matrices
(peer_common.export). Only the fit call is timed; the objective computed between iterations is subtracted.

Parameter mapping (implicit's API, checked against implicit 0.7.3):
- confidence: implicit uses each stored value as the confidence c itself (p = 1 when > 0, p = 0 with c = |value|
  when < 0) after multiplying by its own `alpha`. MovieHunter and Spark use c = 1 + alpha·|r|. So the matrix holds
  1 + alpha·|r| (signed) and implicit's alpha is 1.0 (which it skips): the confidences are exactly ours.
- regularization: implicit adds the same λ·I to every row; MovieHunter and Spark add λ·n (n = the row's number of
  ratings, ALS-WR), and implicit has no such option. The mapping keeps the total weight of the penalty:
  λ_implicit = λ · 2·ratings / (users + items), λ times the mean row length over both sides (what Σ λ·n over all
  rows spreads evenly); --implicit-regularization overrides it.
- solver: conjugate gradient with implicit's 3 steps (MovieHunter's 'auto' picks CG with 3 steps at rank ≥ 32);
  factors start as implicit's own seeded uniform [0, 0.01).
"""
from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import scipy.sparse  # noqa: E402

from peer_common import export, log, objective, parse_args, read_ratings, signed_confidence, training_done  # noqa: E402


def mapped_regularization(regularization: float, ratings: int, users: int, items: int) -> float:
    """λ·n spread evenly: λ times the mean number of ratings of a row, over users and items together."""
    return regularization * 2.0 * ratings / (users + items)


def main() -> int:
    args = parse_args(
        "implicit's CPU ALS on a ratings.csv; exports the factors for scripts/bench-peers",
        lambda p: p.add_argument("--implicit-regularization", type=float, default=None,
                                 help="implicit's λ as is (default: the mapping of --regularization, see above)"),
    )
    from implicit.cpu.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    r = read_ratings(args.ratings)
    users, items = len(r.user_ids), len(r.item_ids)
    matrix = scipy.sparse.csr_matrix((signed_confidence(r.values, args.alpha), (r.users, r.items)), shape=(users, items))
    matrix.sort_indices()
    lam = args.implicit_regularization if args.implicit_regularization is not None else mapped_regularization(
        args.regularization, r.count, users, items)
    log(f"implicit: {r.count} ratings, {users} users, {items} items; rank {args.rank}, {args.iterations} iterations, "
        f"λ {lam:.4g} (MovieHunter's {args.regularization} × mean row length), alpha {args.alpha} in the matrix")

    # implicit parallelises over rows itself: BLAS underneath stays on one thread (implicit warns otherwise).
    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=args.rank, regularization=lam, alpha=1.0, dtype=np.float32, use_native=True, use_cg=True,
            iterations=args.iterations, calculate_training_loss=False, num_threads=args.threads, random_state=args.seed,
        )
        iterations: list[dict] = []
        excluded = 0.0
        last = time.perf_counter()

        def on_iteration(iteration: int, _elapsed: float, _loss) -> None:
            nonlocal excluded, last
            now = time.perf_counter()
            entry = {"iteration": iteration + 1, "seconds": now - last}
            if not args.no_loss:
                entry["loss"] = objective(r, model.user_factors, model.item_factors, args.regularization, args.alpha)
            iterations.append(entry)
            done = time.perf_counter()
            excluded += done - now
            last = done

        started = time.perf_counter()
        model.fit(matrix, show_progress=False, callback=on_iteration)
        train_seconds = time.perf_counter() - started - excluded
    log(f"implicit: trained in {train_seconds:.2f} s")
    training_done()

    export(args.out, r, r.user_ids, np.asarray(model.user_factors), r.item_ids, np.asarray(model.item_factors), {
        "engine": "implicit",
        "rank": args.rank,
        "trainSeconds": train_seconds,
        "iterations": iterations,
        "params": {"factors": args.rank, "regularization": lam, "alpha": 1.0, "iterations": args.iterations,
                   "use_cg": True, "cg_steps": model.cg_steps, "num_threads": args.threads, "random_state": args.seed,
                   "confidence": f"1 + {args.alpha}·|r| in the matrix"},
        "version": __import__("implicit").__version__,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
