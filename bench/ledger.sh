#!/usr/bin/env bash
# Budget-ledger benchmark (issue 4, DESIGN.md §10): the budget summary of a
# fund with 1 000 000 ledger entries, on SQLite and on PostgreSQL.
#
#   bench/ledger.sh                        SQLite, and PostgreSQL on a throwaway cluster
#   BENCH_NO_PG=1 bench/ledger.sh          SQLite only
#   BENCH_NO_SQLITE=1 bench/ledger.sh      PostgreSQL only
#   SPIRE_BENCH_PG_URL=postgresql://... bench/ledger.sh
#                                          an existing PostgreSQL database instead of a
#                                          throwaway cluster (the benchmark works in a
#                                          schema of its own and drops it afterwards)
#   BENCH_BIN=path/to/ledger_bench bench/ledger.sh    another build (no build is attempted)
#   BENCH_BUILD_DIR=build/other bench/ledger.sh       another Release tree (default build/release)
#
# Builds the ledger_bench target of the Release tree (-DSPIRE_TESTS=OFF
# -DSPIRE_BENCH=ON; ninja makes this a no-op when nothing changed), loads the
# ledger (a few minutes: 1 000 000 rows per engine) and runs it
# (bench/ledger_bench.cpp says what each benchmark does):
#   - FundsService::budget on the fund: median and p99 in ms; bar: median < 50 ms
#   - for context: the same sums by a full scan of the ledger (no roll-up),
#     one posting (FundsService::post) and one filtered ledger page
# Prints PASS (exit 0) when every bar is met, FAIL (exit 1) otherwise.
# Errors exit 2.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# The bar (issue 4).
MAX_SUMMARY_MEDIAN_MS=50

BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build/release}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
BIN="${BENCH_BIN:-$BUILD_DIR/bench/ledger_bench}"

die() { printf 'bench: error: %s\n' "$*" >&2; exit 2; }
say() { printf 'bench: %s\n' "$*" >&2; }

command -v python3 >/dev/null 2>&1 || die "python3 not found (it reads the benchmark's JSON)"

if [ -z "${BENCH_BIN:-}" ]; then
  if [ ! -f "$BUILD_DIR/build.ninja" ] || ! grep -q '^SPIRE_BENCH:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
    say "configuring the Release build in $BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPIRE_TESTS=OFF -DSPIRE_BENCH=ON >&2
  fi
  say "building ledger_bench (Release)"
  if ! cmake --build "$BUILD_DIR" --target ledger_bench >&2; then
    if ! grep -q 'ledger_bench' "$BUILD_DIR/build.ninja" 2>/dev/null; then
      die "no ledger_bench target: configure with -DSPIRE_BENCH=ON and install Google Benchmark (libbenchmark-dev)"
    fi
    die "building ledger_bench failed"
  fi
fi
[ -x "$BIN" ] || die "$BIN is not an executable"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/spire-bench-ledger.XXXXXX")"
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
if [ "${BENCH_NO_SQLITE:-}" = 1 ]; then
  export SPIRE_BENCH_SQLITE=0
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
  die "ledger_bench failed"

python3 - "$TMP/result.json" "$MAX_SUMMARY_MEDIAN_MS" "$LOAD1" "$(nproc)" <<'PYEOF'
import json, sys

path, max_summary, load, cores = sys.argv[1:]
max_summary = float(max_summary)
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
def row(label, run, bar="", ok=None):
    median, p99 = run.get("median_ms"), run.get("p99_ms")
    if median is None:
        failures.append(f"{run['name']}: no result")
        return
    mark = "" if ok is None else ("ok" if ok(median) else "OVER")
    if ok is not None and not ok(median):
        failures.append(f"{label}: median {median:.2f} ms (bar {bar})")
    rows.append((label, f"{median:,.2f} ms", f"{p99:,.2f} ms", bar, mark))

engines = sorted({engine(r) for r in find("budget_summary/")})
for name in engines:
    for run in find(f"budget_summary/{name}"):
        row(f"budget summary, {name}", run, f"< {max_summary:g} ms", lambda m: m < max_summary)
    for run in find(f"full_scan/{name}"):
        row(f"  (without roll-up: full scan, {name})", run)
    for run in find(f"post_reserve/{name}"):
        row(f"  one posting (FundsService::post), {name}", run)
    for run in find(f"ledger_page/{name}"):
        row(f"  ledger page of one cell + total, {name}", run)

if not engines:
    failures.append("no budget summary benchmark ran")
print(f"\nledger: one fund with 1 000 000 entries (4 years x 4 programmes); load average at start "
      f"{load} on {cores} cores" + (" (busy: numbers are skewed)" if float(load) > int(cores) / 2 else "") + "\n")
print(f"{'':48} {'median':>12} {'p99':>12}   {'bar':<10}")
for label, median, p99, bar, mark in rows:
    print(f"{label:48} {median:>12} {p99:>12}   {bar:<10} {mark}")
print()
if failures:
    print("FAIL: " + "; ".join(failures))
    sys.exit(1)
print("PASS: every bar met")
PYEOF
