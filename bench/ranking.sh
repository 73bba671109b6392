#!/usr/bin/env bash
# Ranking-model benchmark (issue #6, DESIGN.md §10): the calibrated ranking
# of 2 000 applications × 3 reviews (250 reviewers, 3 criteria) with the
# default chain (500 burn-in, 2 000 kept draws).
#
#   bench/ranking.sh
#   BENCH_BIN=path/to/ranking_bench bench/ranking.sh   another build (no build is attempted;
#                                                      SPIRE_BIN then names its spire)
#   BENCH_BUILD_DIR=build/other bench/ranking.sh       another Release tree (default build/release)
#
# Builds the ranking_bench and spire targets of the Release tree
# (-DSPIRE_TESTS=OFF -DSPIRE_BENCH=ON; ninja makes this a no-op when nothing
# changed) and runs (bench/ranking_bench.cpp says what each benchmark does):
#   - review::rank_applications on the call: median and p99 in ms;
#     bar: median < 1 000 ms
#   - the reference measured in the same run, 1 000 sorts of 2 000 doubles,
#     and the ratio model / reference (comparable between machines and runs
#     where the milliseconds are not)
#   - parse + rank + write in memory, and the whole `spire rank FILE`
#     process on the same call's ranking file (median of 5 runs)
# Prints PASS (exit 0) when the bar is met, FAIL (exit 1) otherwise.
# Errors exit 2. The steps the benchmark scripts share are in bench/lib.sh,
# the table and verdict in bench/report.py.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"

# The bar (DESIGN.md §10).
MAX_RANK_MEDIAN_MS=1000
SPIRE_RANK_RUNS=5

BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/build/release}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
BIN="${BENCH_BIN:-$BUILD_DIR/bench/ranking_bench}"
SPIRE="${SPIRE_BIN:-$BUILD_DIR/spire}"

# No database here.
export BENCH_NO_PG=1
prepare_bench ranking_bench "$BUILD_DIR"
if [ -z "${BENCH_BIN:-}" ]; then
  say "building spire (Release)"
  cmake --build "$BUILD_DIR" --target spire >&2 || die "building spire failed"
fi
[ -x "$SPIRE" ] || die "$SPIRE is not an executable"

export SPIRE_BENCH_RANKING_FILE="$TMP/ranking.json"
run_bench ranking_bench

report "$MAX_RANK_MEDIAN_MS" "$SPIRE" "$SPIRE_BENCH_RANKING_FILE" "$SPIRE_RANK_RUNS" <<'EOF'
import json
import statistics
import subprocess
import sys
import time
from report import Report

report = Report(sys.argv, decimals=1)
max_rank = float(report.args[0])
spire, ranking_file, runs = report.args[1], report.args[2], int(report.args[3])

reference = report.find("reference_sorts")
model = report.find("rank_model")
for run in model:
    report.row("rank_applications, 2 000 x 3 reviews", run, "ms", f"< {max_rank:g} ms",
               lambda m: m < max_rank)
for run in report.find("rank_file_end_to_end"):
    report.row("  parse + rank + write, in memory", run, "ms")
for run in reference:
    report.row("  (reference: 1 000 sorts of 2 000 doubles)", run, "ms")

# The whole process, as a user runs it: start-up, reading, ranking, output.
seconds = []
for _ in range(runs):
    start = time.perf_counter()
    done = subprocess.run([spire, "rank", ranking_file], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    seconds.append(time.perf_counter() - start)
    if done.returncode != 0:
        report.failures.append(f"spire rank exited {done.returncode}: {done.stderr.decode()[:200]}")
        break
    if json.loads(done.stdout)["state"] != "ranked":
        report.failures.append("spire rank did not rank")
        break
if seconds:
    ms = sorted(s * 1000 for s in seconds)
    report.rows.append((f"  spire rank FILE (process, {len(ms)} runs)",
                        f"{statistics.median(ms):,.1f} ms", f"{ms[-1]:,.1f} ms", "", ""))

if not model:
    report.failures.append("no ranking benchmark ran")
ratio = ""
if model and reference and "median_ms" in model[0] and "median_ms" in reference[0]:
    value = model[0]["median_ms"] / reference[0]["median_ms"]
    ratio = f"; model / reference = {value:.2f} (same run)"
    report.rows.append(("  ratio model / reference (medians)", f"{value:,.2f}", "", "", ""))
report.finish("ranking: 2 000 applications x 3 reviews, 250 reviewers, 500 + 2 000 draws" + ratio,
              label_width=46, bar_width=10)
EOF
