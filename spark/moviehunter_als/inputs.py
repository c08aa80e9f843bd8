"""
The run folder's inputs, validated in plain Python (no Spark): params.json and picks.jsonl.
Every error is a JobError naming the file (and the line for picks.jsonl), as the TypeScript reader does.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from .errors import JobError

INT32_MAX = 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

#: The training parameters a model manifest keeps, in the contract's order.
MODEL_PARAM_KEYS = ("rank", "iterations", "regularization", "alpha", "ratingThreshold", "scaleRegularization", "seed")
PARAM_KEYS = MODEL_PARAM_KEYS + ("topN", "candidates", "pickRating", "ratingsPath")


@dataclass(frozen=True)
class Params:
    rank: int
    iterations: int
    regularization: float
    alpha: float
    ratingThreshold: float | None
    scaleRegularization: bool
    seed: int
    topN: int
    #: Candidates written per user (>= topN); params.json of older runs lacks it and means topN.
    candidates: int
    pickRating: float
    ratingsPath: str

    def model_params(self) -> dict[str, Any]:
        """The seven training parameters, for the manifest."""
        return {key: getattr(self, key) for key in MODEL_PARAM_KEYS}


@dataclass(frozen=True)
class AppUser:
    user: str
    movies: tuple[int, ...]
    line: int  # 1-based line in picks.jsonl
    #: Movies the user has seen, (movie, rating): trained with the user's ratings.
    rated: tuple[tuple[int, float], ...] = ()
    #: Movies the user does not want: never recommended, never trained.
    excluded: tuple[int, ...] = ()

    def unrecommendable(self) -> set[int]:
        """Every movie the user must not be recommended: picked, seen or excluded."""
        return set(self.movies) | {m for m, _ in self.rated} | set(self.excluded)


def _show(value: Any) -> str:
    if value is _MISSING:
        return "missing"
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


_MISSING = object()


def _reject_constant(constant: str):
    raise ValueError(f"{constant} is not valid JSON")


def _loads(text: str, where: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError as err:  # JSONDecodeError is a ValueError
        raise JobError(f"{where}: not valid JSON ({err})") from None


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise JobError(f"{name}: not valid UTF-8 text") from None


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _integer(v: Any) -> int | None:
    """v as an int when it is an integral JSON number (16 or 16.0, as JavaScript sees them), else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return int(v)
    return None


def parse_params(data: bytes | None, name: str) -> Params:
    """params.json: exactly the contract's keys with the TypeScript schema's types and ranges."""
    if data is None:
        raise JobError(f"{name}: missing")
    raw = _loads(_decode(data, name), name)
    if not isinstance(raw, dict):
        raise JobError(f"{name}: expected a JSON object with {', '.join(PARAM_KEYS)}")
    problems: list[str] = []
    unknown = [k for k in raw if k not in PARAM_KEYS]
    if unknown:
        problems.append(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(json.dumps(k) for k in unknown)}")
    out: dict[str, Any] = {}

    def integer(key: str, low: int, high: int) -> None:
        v = raw.get(key, _MISSING)
        n = None if v is _MISSING else _integer(v)
        if n is None or not low <= n <= high:
            problems.append(f"{key} is {_show(v)}, expected an integer from {low} to {high}")
        else:
            out[key] = n

    def number(key: str, rule: str, ok, nullable: bool = False) -> None:
        v = raw.get(key, _MISSING)
        if nullable and v is None:
            out[key] = None
        elif v is _MISSING or not _is_number(v) or not ok(v):
            problems.append(f"{key} is {_show(v)}, expected {rule}")
        else:
            out[key] = v

    integer("rank", 1, 1024)
    integer("iterations", 1, 10_000)
    number("regularization", "a number > 0", lambda v: v > 0)
    number("alpha", "a number >= 0", lambda v: v >= 0)
    number("ratingThreshold", "a number or null", lambda v: True, nullable=True)
    v = raw.get("scaleRegularization", _MISSING)
    if isinstance(v, bool):
        out["scaleRegularization"] = v
    else:
        problems.append(f"scaleRegularization is {_show(v)}, expected true or false")
    integer("seed", INT64_MIN, INT64_MAX)
    integer("topN", 1, 10_000)
    if "candidates" in raw:
        integer("candidates", 1, 10_000)
    elif "topN" in out:
        out["candidates"] = out["topN"]
    if "topN" in out and "candidates" in out and out["candidates"] < out["topN"]:
        problems.append(f"candidates {out['candidates']} is fewer than topN {out['topN']}")
    number("pickRating", "a number > 0", lambda v: v > 0)
    v = raw.get("ratingsPath", _MISSING)
    if isinstance(v, str) and v != "":
        out["ratingsPath"] = v
    else:
        problems.append(f"ratingsPath is {_show(v)}, expected a non-empty string")
    if problems:
        raise JobError(f"{name}: {'; '.join(problems)}")
    return Params(**out)


def parse_picks(data: bytes | None, name: str) -> list[AppUser]:
    """picks.jsonl: one {"user", "movies", "rated"?, "excluded"?} object a line (blank lines skipped), users distinct; may be empty."""
    if data is None:
        raise JobError(f"{name}: missing")
    users: list[AppUser] = []
    first_line_of: dict[str, int] = {}
    for index, text in enumerate(_decode(data, name).split("\n")):
        if text.strip() == "":
            continue
        line = index + 1
        where = f"{name}:{line}"
        value = _loads(text, where)
        if not isinstance(value, dict):
            raise JobError(f'{where}: expected {{"user": "...", "movies": [...]}}')
        user = value.get("user", _MISSING)
        movies = value.get("movies", _MISSING)
        if not isinstance(user, str) or user == "":
            raise JobError(f"{where}: user is {_show(user)}, expected a non-empty string")
        if not isinstance(movies, list) or len(movies) == 0:
            raise JobError(f"{where}: movies is {_show(movies)}, expected a non-empty array of movie ids")
        listed: dict[int, str] = {}

        def take(movie: Any, kind: str) -> int:
            n = _integer(movie)
            if n is None or not 1 <= n <= INT32_MAX:
                raise JobError(f"{where}: movie id {_show(movie)} is not a positive 32-bit integer")
            earlier_kind = listed.get(n)
            if earlier_kind == kind:
                raise JobError(f"{where}: movie {n} is {kind} twice")
            if earlier_kind is not None:
                raise JobError(f"{where}: movie {n} is both {earlier_kind} and {kind}")
            listed[n] = kind
            return n

        ids = [take(movie, "picked") for movie in movies]
        rated_raw = value.get("rated", [])
        if not isinstance(rated_raw, list):
            raise JobError(f'{where}: rated is {_show(rated_raw)}, expected an array of {{"movie": id, "rating": x}}')
        rated: list[tuple[int, float]] = []
        for entry in rated_raw:
            if not isinstance(entry, dict):
                raise JobError(f'{where}: rated entry {_show(entry)}, expected {{"movie": id, "rating": x}}')
            movie = take(entry.get("movie", _MISSING), "rated")
            rating = entry.get("rating", _MISSING)
            if not _is_number(rating) or rating <= 0:
                raise JobError(f"{where}: the rating of movie {movie} is {_show(rating)}, expected a number > 0")
            rated.append((movie, float(rating)))
        excluded_raw = value.get("excluded", [])
        if not isinstance(excluded_raw, list):
            raise JobError(f"{where}: excluded is {_show(excluded_raw)}, expected an array of movie ids")
        excluded = [take(movie, "excluded") for movie in excluded_raw]
        earlier = first_line_of.get(user)
        if earlier is not None:
            raise JobError(f"{where}: user {_show(user)} appears twice (first at line {earlier})")
        first_line_of[user] = line
        users.append(AppUser(user=user, movies=tuple(ids), line=line, rated=tuple(rated), excluded=tuple(excluded)))
    return users
