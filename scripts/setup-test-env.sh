#!/usr/bin/env bash
# What `npm test` needs beyond node_modules, set up where missing (npm's pretest runs this):
# Java and pyspark in spark/.venv (the Spark job and the spark-local engine), Debian's chromium (browser tests),
# and Google's Firestore emulator (the Firestore store). Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup-test-env: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

apt_install() {
  say "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 || {
    as_root apt-get update >/dev/null 2>&1 &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null
  } || fail "could not install $* with apt-get (needs root or sudo); install them and run the tests again"
}

# Java 17+ for Spark 4.
if ! command -v java >/dev/null; then apt_install openjdk-17-jre-headless; fi
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[ "${java_major:-0}" -ge 17 ] || fail "Spark 4 needs Java 17 or newer; java -version says ${java_major:-nothing}"

# pyspark, pytest and the bench-peers peers (implicit, pandas) in spark/.venv, reinstalled when the pinned requirements change.
venv=spark/.venv
stamp="$venv/.requirements.sha256"
wanted=$(cat spark/requirements.txt spark/requirements-peers.txt spark/requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  say "creating $venv with pyspark, implicit and pandas (spark/requirements-dev.txt)"
  python3 -m venv "$venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r spark/requirements-dev.txt ||
    fail "pip could not install spark/requirements-dev.txt"
  echo "$wanted" >"$stamp"
fi

# Debian's chromium for the browser tests (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then apt_install chromium; fi

# The Firestore emulator ships with the Google Cloud SDK, not with Debian: check it, do not guess.
emulator=/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud_firestore_emulator
if [ -z "${FIRESTORE_EMULATOR_HOST:-}" ] && [ ! -x "$emulator" ]; then
  fail "the Firestore emulator is missing: expected $emulator (gcloud components install cloud-firestore-emulator), or set FIRESTORE_EMULATOR_HOST to a running one"
fi

# fake-gcs-server: the Cloud Storage emulator the GCS tests run against, from the Go module proxy.
if [ -z "${FAKE_GCS_SERVER:-}" ]; then
  command -v go >/dev/null || fail "Go is needed to install fake-gcs-server (the Cloud Storage emulator); install Go or set FAKE_GCS_SERVER"
  gobin="$(go env GOPATH)/bin"
  if [ ! -x "$gobin/fake-gcs-server" ]; then
    say "installing fake-gcs-server v1.56.1 (go install, about a minute)"
    go install github.com/fsouza/fake-gcs-server@v1.56.1 >/dev/null 2>&1 || fail "go install github.com/fsouza/fake-gcs-server@v1.56.1 failed"
  fi
fi
