#!/usr/bin/env bash
# Allocation benchmark (issue 7, DESIGN.md §10): 2 000 candidates over 4 years
# x 4 programmes with partial funding, a unit cap and a theme share (the
# instance is described in bench/allocation_bench.cpp).
#
#   bench/allocation.sh
#   BENCH_BIN=path/to/allocation_bench bench/allocation.sh   another build (no build is attempted)
#   BENCH_BUILD_DIR=build/other bench/allocation.sh          another Release tree (default build/release)
#
# Builds the allocation_bench target of the Release tree (-DSPIRE_TESTS=OFF
# -DSPIRE_BENCH=ON) and runs it:
#   - the optimal portfolio (CBC): median and p99 in ms; bars: every run
#     proven optimal within 0.01 % and median < 2 000 ms
#   - the payline and the lottery on the same scenario; bar: median < 10 ms
#   - as ratios to references measured in the same run (the machine is
#     noisy): the optimiser to the LP relaxation of its model, the payline
#     and lottery to sorting the 2 000 candidates by value.
# Prints PASS (exit 0) when every bar is met, FAIL (exit 1) otherwise.
# Errors exit 2. No database is used.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"

# The bars (issue 7, DESIGN.md §10).
MAX_OPTIMAL_MEDIAN_MS=2000
MAX_GAP_PCT=0.01
MAX_FAST_MEDIAN_MS=10

BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build/release}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
BIN="${BENCH_BIN:-$BUILD_DIR/bench/allocation_bench}"

BENCH_NO_PG=1 # nothing here uses a database
prepare_bench allocation_bench "$BUILD_DIR"
run_bench allocation_bench

report "$MAX_OPTIMAL_MEDIAN_MS" "$MAX_GAP_PCT" "$MAX_FAST_MEDIAN_MS" <<'EOF'
import sys
from report import Report

report = Report(sys.argv, decimals=2)
max_optimal, max_gap, max_fast = (float(a) for a in report.args)

def one(name):
    runs = report.find(name)
    if not runs:
        report.failures.append(f"{name}: no result")
        return None
    return runs[0]

def ratio(label, run, reference):
    if run and reference and run.get("median_ms") and reference.get("median_ms"):
        value = run["median_ms"] / reference["median_ms"]
        report.rows.append((label, f"{value:,.1f} x", "", "", ""))

sort_ref, lp_ref = one("sort_reference"), one("lp_relaxation")
optimal, payline, lottery = one("optimal"), one("payline"), one("lottery")
if sort_ref:
    report.row("reference: sort 2 000 candidates by value", sort_ref, "ms")
if lp_ref:
    report.row("reference: LP relaxation (CBC simplex)", lp_ref, "ms")
if optimal:
    report.row("optimal portfolio (CBC, partial funding)", optimal, "ms",
               f"< {max_optimal:g} ms", lambda m: m < max_optimal)
    gap = optimal.get("worst_gap_pct", float("nan"))
    ok = optimal.get("all_optimal") == 1 and gap <= max_gap
    report.rows.append(("  worst proven gap over the runs", f"{gap:.4f} %", "",
                        f"<= {max_gap:g} %", "ok" if ok else "OVER"))
    if not ok:
        report.failures.append(f"proven gap {gap:.4f} % (bar {max_gap:g} %), all optimal: "
                               f"{optimal.get('all_optimal')}")
    report.rows.append(("  grants (of which partial)",
                        f"{optimal.get('grants', 0):.0f} ({optimal.get('partial', 0):.0f})", "", "", ""))
    ratio("  optimal / LP relaxation", optimal, lp_ref)
if payline:
    report.row("payline", payline, "ms", f"< {max_fast:g} ms", lambda m: m < max_fast)
    report.rows.append(("  grants", f"{payline.get('grants', 0):.0f}", "", "", ""))
    ratio("  payline / sort", payline, sort_ref)
if lottery:
    report.row("lottery (payline line + draw)", lottery, "ms", f"< {max_fast:g} ms",
               lambda m: m < max_fast)
    report.rows.append(("  lottery group (winners)",
                        f"{lottery.get('group', 0):.0f} ({lottery.get('winners', 0):.0f})", "", "", ""))
    ratio("  lottery / sort", lottery, sort_ref)
report.finish("allocation: 2 000 candidates, 4 years x 4 programmes", label_width=46, bar_width=12)
EOF
