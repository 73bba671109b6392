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
# The steps the benchmark scripts share are in bench/lib.sh, the table and
# verdict in bench/report.py.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"

# The bars (DESIGN.md §10 and the identity issue).
MAX_AUTH_MEDIAN_US=50
MIN_VERIFY_MS=50
MAX_VERIFY_MS=250

BUILD_DIR="$ROOT/build/release"
BIN="${BENCH_BIN:-$BUILD_DIR/bench/identity_bench}"

prepare_bench identity_bench "$BUILD_DIR"
run_bench identity_bench

report "$MAX_AUTH_MEDIAN_US" "$MIN_VERIFY_MS" "$MAX_VERIFY_MS" <<'EOF'
import sys
from report import Report, engine

report = Report(sys.argv, decimals=1)
max_auth, min_verify, max_verify = map(float, report.args)

for run in report.find("authenticate_authorize/"):
    report.row(f"session + authorisation, {engine(run)}", run, "us", f"< {max_auth:g} us",
               lambda m: m < max_auth)
for run in report.find("empty_read/"):
    report.row(f"  (floor: empty read transaction, {engine(run)})", run, "us")
for run in report.find("one_statement/"):
    report.row(f"  (floor: one statement, no transaction, {engine(run)})", run, "us")
for run in report.find("session_cache_hit/"):
    report.row(f"  (cached: same session within 2 s, {engine(run)})", run, "us")
for run in report.find("verify_password"):
    report.row("login: argon2id verification", run, "ms", f"{min_verify:g}-{max_verify:g} ms",
               lambda m: min_verify <= m <= max_verify)
for run in report.find("login/"):
    report.row(f"login: whole IdentityService::login, {engine(run)}", run, "ms")

if not report.find("authenticate_authorize/"):
    report.failures.append("no session benchmark ran")
report.finish("identity: 10 000 users, 20 000 live sessions", label_width=52, bar_width=12)
EOF
