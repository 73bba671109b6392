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
# The steps the benchmark scripts share are in bench/lib.sh, the table and
# verdict in bench/report.py.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"

# The bar (issue 4).
MAX_SUMMARY_MEDIAN_MS=50

BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build/release}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
BIN="${BENCH_BIN:-$BUILD_DIR/bench/ledger_bench}"

prepare_bench ledger_bench "$BUILD_DIR"
if [ "${BENCH_NO_SQLITE:-}" = 1 ]; then
  export SPIRE_BENCH_SQLITE=0
fi
run_bench ledger_bench

report "$MAX_SUMMARY_MEDIAN_MS" <<'EOF'
import sys
from report import Report, engine

report = Report(sys.argv, decimals=2)
max_summary = float(report.args[0])

engines = sorted({engine(r) for r in report.find("budget_summary/")})
for name in engines:
    for run in report.find(f"budget_summary/{name}"):
        report.row(f"budget summary, {name}", run, "ms", f"< {max_summary:g} ms",
                   lambda m: m < max_summary)
    for run in report.find(f"full_scan/{name}"):
        report.row(f"  (without roll-up: full scan, {name})", run, "ms")
    for run in report.find(f"post_reserve/{name}"):
        report.row(f"  one posting (FundsService::post), {name}", run, "ms")
    for run in report.find(f"ledger_page/{name}"):
        report.row(f"  ledger page of one cell + total, {name}", run, "ms")

if not engines:
    report.failures.append("no budget summary benchmark ran")
report.finish("ledger: one fund with 1 000 000 entries (4 years x 4 programmes)",
              label_width=48, bar_width=10)
EOF
