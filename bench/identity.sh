#!/usr/bin/env bash
# Identity benchmark (DESIGN.md §10): what a logged-in request pays for its
# session, and what one login costs.
#
#   bench/identity.sh                      SQLite, and PostgreSQL on a throwaway cluster
#   BENCH_NO_PG=1 bench/identity.sh        SQLite only
#   SPIRE_BENCH_PG_URL=postgresql://... bench/identity.sh
#                                          an existing PostgreSQL database instead of a
#                                          throwaway cluster (the benchmark works in a
#                                          schema of its own and drops it afterwards)
#   BENCH_BIN=path/to/identity_bench bench/identity.sh   another build (no build is attempted)
#
# Builds the identity_bench target of the Release tree (build/release,
# -DSPIRE_TESTS=OFF -DSPIRE_BENCH=ON; ninja makes this a no-op when nothing
# changed) and runs it (bench/identity_bench.cpp says what each benchmark does):
#   - session lookup + authorisation (IdentityService::authenticate plus one
#     policy decision) with 10 000 users and 20 000 live sessions, sessions
#     picked at random: median and p99 in µs; bar: median < 50 µs
#   - an empty read transaction on the same database: the floor under it;
#     and one SELECT 1 without a transaction, as the lookup runs (one round
#     trip on PostgreSQL)
#   - for comparison only (no bar): the same session again within 2 s, as a
#     page and its htmx fragments present it, found in IdentityService's
#     in-process cache
#   - one argon2id verification, and one whole IdentityService::login, in
#     ms; bar: verification 50–250 ms (slow enough to hurt guessing, fast
#     enough not to hurt users)
# Prints PASS (exit 0) when every bar is met, FAIL (exit 1) otherwise.
# Errors exit 2.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# The bars (DESIGN.md §10 and the identity issue).
MAX_AUTH_MEDIAN_US=50
MIN_VERIFY_MS=50
MAX_VERIFY_MS=250

BUILD_DIR="$ROOT/build/release"
BIN="${BENCH_BIN:-$BUILD_DIR/bench/identity_bench}"

die() { printf 'bench: error: %s\n' "$*" >&2; exit 2; }
say() { printf 'bench: %s\n' "$*" >&2; }

command -v python3 >/dev/null 2>&1 || die "python3 not found (it reads the benchmark's JSON)"

if [ -z "${BENCH_BIN:-}" ]; then
  if [ ! -f "$BUILD_DIR/build.ninja" ] || ! grep -q '^SPIRE_BENCH:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
    say "configuring the Release build in $BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPIRE_TESTS=OFF -DSPIRE_BENCH=ON >&2
  fi
  say "building identity_bench (Release)"
  if ! cmake --build "$BUILD_DIR" --target identity_bench >&2; then
    if ! grep -q 'identity_bench' "$BUILD_DIR/build.ninja" 2>/dev/null; then
      die "no identity_bench target: configure with -DSPIRE_BENCH=ON and install Google Benchmark (libbenchmark-dev)"
    fi
    die "building identity_bench failed"
  fi
fi
[ -x "$BIN" ] || die "$BIN is not an executable"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/spire-bench-identity.XXXXXX")"
PG_STARTED=""
cleanup() {
  if [ -n "$PG_STARTED" ]; then
    "$ROOT/scripts/pg-cluster" stop "$TMP/pg" >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

if [ -z "${SPIRE_BENCH_PG_URL:-}" ] && [ "${BENCH_NO_PG:-}" != 1 ]; then
  say "starting a throwaway PostgreSQL cluster"
  "$ROOT/scripts/pg-cluster" start "$TMP/pg" >&2 || die "scripts/pg-cluster could not start PostgreSQL"
  PG_STARTED=1
  SPIRE_BENCH_PG_URL="$(cat "$TMP/pg/url")"
fi
if [ "${BENCH_NO_PG:-}" = 1 ]; then
  unset SPIRE_BENCH_PG_URL
else
  export SPIRE_BENCH_PG_URL
fi

# Numbers from a busy machine say little; say so rather than hide it.
read -r LOAD1 _ </proc/loadavg
if awk -v l="$LOAD1" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  say "warning: load average $LOAD1 on $(nproc) cores; other work will skew these numbers"
fi

say "running $BIN"
"$BIN" --benchmark_out="$TMP/result.json" --benchmark_out_format=json >&2 ||
  die "identity_bench failed"

python3 - "$TMP/result.json" "$MAX_AUTH_MEDIAN_US" "$MIN_VERIFY_MS" "$MAX_VERIFY_MS" "$LOAD1" "$(nproc)" <<'EOF'
import json, sys

path, max_auth, min_verify, max_verify, load, cores = sys.argv[1:]
max_auth, min_verify, max_verify = float(max_auth), float(min_verify), float(max_verify)
with open(path) as f:
    runs = json.load(f)["benchmarks"]

def find(prefix):
    return [r for r in runs if r["name"].startswith(prefix) and r.get("run_type") == "iteration"]

def engine(run):
    return run["name"].split("/")[1]

failures = []
for run in runs:
    if run.get("error_occurred"):
        failures.append(f"{run['name']}: {run.get('error_message', 'error')}")

rows = []
def row(label, run, unit, bar="", ok=None):
    median, p99 = run.get("median_" + unit), run.get("p99_" + unit)
    if median is None:
        failures.append(f"{run['name']}: no result")
        return
    mark = "" if ok is None else ("ok" if ok(median) else "OVER")
    if ok is not None and not ok(median):
        failures.append(f"{label}: median {median:.1f} {unit} (bar {bar})")
    rows.append((label, f"{median:,.1f} {unit}", f"{p99:,.1f} {unit}", bar, mark))

for run in find("authenticate_authorize/"):
    row(f"session + authorisation, {engine(run)}", run, "us", f"< {max_auth:g} us",
        lambda m: m < max_auth)
for run in find("empty_read/"):
    row(f"  (floor: empty read transaction, {engine(run)})", run, "us")
for run in find("one_statement/"):
    row(f"  (floor: one statement, no transaction, {engine(run)})", run, "us")
for run in find("session_cache_hit/"):
    row(f"  (cached: same session within 2 s, {engine(run)})", run, "us")
for run in find("verify_password"):
    row("login: argon2id verification", run, "ms", f"{min_verify:g}-{max_verify:g} ms",
        lambda m: min_verify <= m <= max_verify)
for run in find("login/"):
    row(f"login: whole IdentityService::login, {engine(run)}", run, "ms")

if not find("authenticate_authorize/"):
    failures.append("no session benchmark ran")
print(f"\nidentity: 10 000 users, 20 000 live sessions; load average at start {load} on {cores} cores"
      + (" (busy: numbers are skewed)" if float(load) > int(cores) / 2 else "") + "\n")
print(f"{'':52} {'median':>12} {'p99':>12}   {'bar':<12}")
for label, median, p99, bar, mark in rows:
    print(f"{label:52} {median:>12} {p99:>12}   {bar:<12} {mark}")
print()
if failures:
    print("FAIL: " + "; ".join(failures))
    sys.exit(1)
print("PASS: every bar met")
EOF
