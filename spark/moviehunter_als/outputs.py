"""The run's outputs as bytes: recommendations.jsonl, model/manifest.json + model/item_factors.f32, metrics.json."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import numpy as np

from .errors import JobError
from .inputs import AppUser, Params

MODEL_FORMAT = "moviehunter-item-factors"
FACTORS_FILE = "item_factors.f32"


def iso_now() -> str:
    """UTC now as 2026-11-24T12:00:00.000Z (milliseconds, Z), as JavaScript's toISOString writes it."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _json(value: Any, **kwargs: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, **kwargs)


def recommendations_jsonl(users: list[AppUser], recommendations: list[list[tuple[int, float]]]) -> bytes:
    lines = (
        _json({"user": u.user, "items": [{"movie": m, "score": s} for m, s in recs]}, separators=(",", ":")) + "\n"
        for u, recs in zip(users, recommendations)
    )
    return "".join(lines).encode("utf-8")


def factors_bytes(factors: np.ndarray) -> bytes:
    if not np.all(np.isfinite(factors)):
        raise JobError("the trained item factors hold values that are not finite (training diverged)")
    return np.ascontiguousarray(factors, dtype="<f4").tobytes()


def manifest_json(item_ids: list[int], rank: int, engine: str, trained_at: str, params: Params) -> bytes:
    """One key a line, itemIds on one line, as the TypeScript formatManifest writes it."""
    manifest = {
        "format": MODEL_FORMAT,
        "version": 1,
        "rank": rank,
        "itemCount": len(item_ids),
        "itemIds": item_ids,
        "dtype": "float32",
        "byteOrder": "little",
        "file": FACTORS_FILE,
        "engine": engine,
        "trainedAt": trained_at,
        "params": params.model_params(),
    }
    lines = [f"  {_json(key)}: {_json(value)}" for key, value in manifest.items()]
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def metrics_json(metrics: dict[str, Any]) -> bytes:
    try:
        return (_json(metrics, indent=2) + "\n").encode("utf-8")
    except ValueError as err:
        raise JobError(f"metrics.json: {err} (a loss or timing that is not finite)") from None
