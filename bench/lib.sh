# shellcheck shell=bash
# What the benchmark scripts beside this file (identity.sh, ledger.sh,
# http.sh) share. Sourced after they set ROOT (the checkout) under
# `set -euo pipefail`. Messages go to stderr as "bench: ..."; errors exit 2.

die() { printf 'bench: error: %s\n' "$*" >&2; exit 2; }
say() { printf 'bench: %s\n' "$*" >&2; }

# configure_release BUILD_DIR [CMAKE_ARGS...]: configures a Release tree
# (Ninja) in BUILD_DIR.
configure_release() {
  local build_dir="$1"
  shift
  cmake -S "$ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >&2
}

# build_bench TARGET BUILD_DIR: builds the benchmark program TARGET in the
# Release tree BUILD_DIR, configuring it first (-DSPIRE_TESTS=OFF
# -DSPIRE_BENCH=ON) unless it is one with the benchmarks on; ninja makes
# this a no-op when nothing changed.
build_bench() {
  local target="$1" build_dir="$2"
  if [ ! -f "$build_dir/build.ninja" ] || ! grep -q '^SPIRE_BENCH:BOOL=ON' "$build_dir/CMakeCache.txt" 2>/dev/null; then
    say "configuring the Release build in $build_dir"
    configure_release "$build_dir" -DSPIRE_TESTS=OFF -DSPIRE_BENCH=ON
  fi
  say "building $target (Release)"
  if ! cmake --build "$build_dir" --target "$target" >&2; then
    if ! grep -q "$target" "$build_dir/build.ninja" 2>/dev/null; then
      die "no $target target: configure with -DSPIRE_BENCH=ON and install Google Benchmark (libbenchmark-dev)"
    fi
    die "building $target failed"
  fi
}

# make_tmp NAME: a fresh temporary directory in TMP (NAME.XXXXXX under
# $TMPDIR or /tmp), removed at exit; INT and TERM exit 2. A script with
# processes of its own defines stop_own, which the exit trap calls first.
# The throwaway PostgreSQL cluster (start_postgresql) lives in it too.
make_tmp() {
  TMP="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  PG_STARTED=""
  trap cleanup EXIT
  trap 'exit 2' INT TERM
}

cleanup() {
  if declare -F stop_own >/dev/null; then
    stop_own
  fi
  if [ -n "$PG_STARTED" ]; then
    "$ROOT/scripts/pg-cluster" stop "$TMP/pg" >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
}

# start_postgresql: the PostgreSQL database for a benchmark program, in
# SPIRE_BENCH_PG_URL (exported). An existing SPIRE_BENCH_PG_URL is used as it
# is; without one, a throwaway cluster (scripts/pg-cluster) in $TMP/pg,
# stopped at exit. BENCH_NO_PG=1: none (SPIRE_BENCH_PG_URL unset).
start_postgresql() {
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
}

# warn_if_busy: sets LOAD1 (the load average over the last minute) and
# warns when it is over half the cores. Numbers from a busy machine say
# little; say so rather than hide it.
warn_if_busy() {
  read -r LOAD1 _ </proc/loadavg
  if awk -v l="$LOAD1" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    say "warning: load average $LOAD1 on $(nproc) cores; other work will skew these numbers"
  fi
}

# need_python3: report (below) needs python3; checked before anything is built.
need_python3() {
  command -v python3 >/dev/null 2>&1 || die "python3 not found (it reads the benchmark's JSON)"
}

# prepare_bench TARGET BUILD_DIR: everything before a run of the benchmark
# program $BIN: python3 there, TARGET built in BUILD_DIR (build_bench) unless
# BENCH_BIN names another program, a temporary directory (make_tmp) and the
# PostgreSQL database (start_postgresql).
prepare_bench() {
  local target="$1" build_dir="$2"
  need_python3
  if [ -z "${BENCH_BIN:-}" ]; then
    build_bench "$target" "$build_dir"
  fi
  [ -x "$BIN" ] || die "$BIN is not an executable"
  make_tmp "spire-bench-${target%_bench}"
  start_postgresql
}

# run_bench NAME: warns when the machine is busy (warn_if_busy) and runs the
# benchmark program $BIN, its table on stderr and its JSON result in
# $TMP/result.json.
run_bench() {
  warn_if_busy
  say "running $BIN"
  "$BIN" --benchmark_out="$TMP/result.json" --benchmark_out_format=json >&2 ||
    die "$1 failed"
}

# report [ARGS...] <<'EOF' ... EOF: runs the Python program on stdin, with
# bench/report.py importable, on $TMP/result.json, $LOAD1, the number of
# cores and ARGS (see report.py); exits as it does.
report() {
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$ROOT/bench${PYTHONPATH:+:$PYTHONPATH}" \
    python3 - "$TMP/result.json" "$LOAD1" "$(nproc)" "$@"
}
