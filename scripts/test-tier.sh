#!/usr/bin/env bash
# Runs one tier of the built tests (dist/test) with node's test runner:
#   unit     pure code, SQLite and the inprocess engine; nothing to install, no emulator, browser or Spark
#   cloud    Firestore (Google's emulator), Cloud Storage (fake-gcs-server), the Dataproc stand-in, jobs/
#   browser  Debian's chromium through playwright-core
#   spark    the spark-local engine and peers on local Spark, then the PySpark job's pytest suite
#   all      every test file with both stores, then pytest (what `npm test` runs)
# Build first (`npm run build`); the tiers other than unit need `npm run setup:test-env` once. TEST_CONCURRENCY sets
# how many test files run at once (1 unless said; the unit tier: one per core).
set -euo pipefail
cd "$(dirname "$0")/.."
tier=${1:-}
export METADATA_SERVER_DETECTION=none

[ -d dist/test ] || { echo "test-tier: dist/test is missing: run npm run build first" >&2; exit 2; }
all=$(find dist/test -name '*.test.js' | sort)
[ -n "$all" ] || { echo "test-tier: no test files under dist/test" >&2; exit 2; }

# Files that need more than Node and SQLite, by what they need.
browser='^dist/test/browser/'
spark='^dist/test/(pipeline/(spark-local-engine|engine-parity)|flow/full-flow-spark|peers/bench-peers-smoke)\.test\.js$'
cloud='^dist/test/(store/firestore|pipeline/(run-folder-gcs|dataproc-engine)|flow/full-flow-firestore|faults/store-outage|jobs/[^/]+)\.test\.js$'
# Files that run once per store (test/support/store-kinds.ts): SQLite in the unit tier, Firestore in the cloud tier.
both_stores=$(grep -l "STORE_KINDS" $all || true)

pick() { grep -E "$1" <<<"$all" || true; }
drop() { grep -vE "$1" <<<"$all" || true; }
run_node() { [ -n "$1" ] || { echo "test-tier: no test files in this tier" >&2; exit 2; }; node --test --test-concurrency="${TEST_CONCURRENCY:-1}" --test-reporter=spec $1; }
pytest_spark() { spark/.venv/bin/python -m pytest -q spark/tests; }

case "$tier" in
  # The unit tier runs a file per core (its files wait on bcrypt and child processes as much as they compute).
  unit) TEST_STORES=sqlite TEST_CONCURRENCY=${TEST_CONCURRENCY:-$(nproc)} run_node "$(drop "$browser|$spark|$cloud")" ;;
  cloud) TEST_STORES=firestore run_node "$( (pick "$cloud"; echo "$both_stores") | sed '/^$/d' | sort -u)" ;;
  browser) run_node "$(pick "$browser")" ;;
  spark) run_node "$(pick "$spark")" && pytest_spark ;;
  all) run_node "$all" && pytest_spark ;;
  *) echo "usage: scripts/test-tier.sh unit|cloud|browser|spark|all" >&2; exit 2 ;;
esac
