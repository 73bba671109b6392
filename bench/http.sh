#!/usr/bin/env bash
# HTTP benchmark: Spire's templated front page against nginx serving the same
# bytes as a static file, in the same run (DESIGN.md §10).
#
#   bench/http.sh                    10 s per server
#   BENCH_SECONDS=30 bench/http.sh   longer run
#   BENCH_BIN=path/to/spire bench/http.sh   another build (no build is attempted)
#
# What it measures, with the Release build (build/release/spire; configured and
# built only when missing – rebuild it yourself after changing code):
#   - start-up: launch until the first successful GET /healthz, best of 5 (ms)
#   - idle RSS: VmRSS after start-up and a few requests (MB)
#   - throughput and p99 latency of GET / with wrk -t1 -c64 (keep-alive),
#     for Spire (--threads 1) and for nginx (worker_processes 1)
# and prints PASS when spire/nginx throughput >= 0.5 and Spire's p99 < 5 ms
# (exit 0), FAIL otherwise (exit 1). Errors exit 2.
#
# Each server is pinned to CPU 0 and wrk to CPU 1 when the machine has two or
# more cores, so both servers get exactly one core and do not compete with the
# load generator. Only 127.0.0.1 is used. wrk sends no Accept-Encoding, so both
# servers answer uncompressed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/lib.sh"

SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
WARMUP_SECONDS=2
CONNECTIONS=64
STARTUP_LAUNCHES=5
READY_TIMEOUT_S=10
# The bar (DESIGN.md §10); start-up and memory are shown against theirs too.
MIN_RATIO=0.5
MAX_P99_MS=5
MAX_STARTUP_MS=100
MAX_IDLE_RSS_MB=30

BUILD_DIR="$ROOT/build/release"
BIN="${BENCH_BIN:-$BUILD_DIR/spire}"

if ! [[ "$SECONDS_PER_RUN" =~ ^[0-9]+$ ]] || (( SECONDS_PER_RUN < 1 || SECONDS_PER_RUN > 300 )); then
  die "BENCH_SECONDS must be a whole number of seconds from 1 to 300"
fi
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (scripts/install-deps)"
done
NGINX="$(command -v nginx)"

if [ -z "${BENCH_BIN:-}" ] && [ ! -x "$BIN" ]; then
  say "no Release build at $BIN; building it"
  configure_release "$BUILD_DIR"
  cmake --build "$BUILD_DIR" --target spire >&2
fi
[ -x "$BIN" ] || die "$BIN is not an executable"
[ -f "$ROOT/static/vendor/htmx/htmx.min.js" ] ||
  die "static/vendor/ is missing; run scripts/build-assets first"

export SPIRE_ROOT="$ROOT"
export SPIRE_LOCALE_DIR="${SPIRE_LOCALE_DIR:-$(dirname "$BIN")/locale}"

# CPU pinning (see the top of the file).
SERVER_CPU=()
CLIENT_CPU=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  SERVER_CPU=(taskset -c 0)
  CLIENT_CPU=(taskset -c 1)
fi

SPIRE_PID=""
NGINX_PID=""

stop_pid() { # PID SIGNAL: signal it, wait up to 10 s, then kill it.
  local pid="$1" signal="$2"
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Called by the exit trap (bench/lib.sh), before $TMP goes.
stop_own() {
  stop_pid "$SPIRE_PID" TERM
  stop_pid "$NGINX_PID" QUIT
}
make_tmp spire-bench

# A file descriptor to sleep on without forking: `read -t` on a pipe that never
# gets data. Keeps the start-up timing free of `sleep` process start-up.
exec {SLEEP_FD}<> <(:)
nap() { read -r -t "$1" -u "$SLEEP_FD" _ || true; }

# healthz PORT: one GET /healthz over bash's /dev/tcp (no process start);
# succeeds on a 200 status line.
healthz() {
  local port="$1" status
  { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$fd"
  IFS= read -r -t 2 -u "$fd" status || status=""
  exec {fd}>&-
  [[ "$status" == "HTTP/1.1 200"* ]]
}

# wait_listening LOGFILE PID: sets LISTEN_PORT from "spire: listening on ...".
# Only builtins in the loop: it is part of the start-up time.
wait_listening() {
  local log="$1" pid="$2" deadline line
  deadline=$(( EPOCHSECONDS + READY_TIMEOUT_S ))
  while :; do
    if [ -s "$log" ]; then
      local lines=()
      mapfile -t lines <"$log"
      for line in "${lines[@]}"; do
        if [[ "$line" =~ ^spire:\ listening\ on\ http://127\.0\.0\.1:([0-9]+) ]]; then
          LISTEN_PORT="${BASH_REMATCH[1]}"
          return 0
        fi
      done
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    (( EPOCHSECONDS < deadline )) || return 1
    nap 0.001
  done
}

# start_spire NAME: starts Spire in the background (sets SPIRE_PID, SPIRE_PORT).
start_spire() {
  local name="$1"
  : >"$TMP/$name.out"
  "${SERVER_CPU[@]}" "$BIN" serve --port 0 --threads 1 --db "sqlite:$TMP/bench.db" \
    >"$TMP/$name.out" 2>"$TMP/$name.err" &
  SPIRE_PID=$!
  if wait_listening "$TMP/$name.out" "$SPIRE_PID"; then
    SPIRE_PORT="$LISTEN_PORT"
  else
    die "spire did not start:"$'\n'"$(tail -n 20 "$TMP/$name.out" "$TMP/$name.err")"
  fi
}

ms_since() { # START (an $EPOCHREALTIME): whole milliseconds since then
  local now="$EPOCHREALTIME"
  local start_us=$(( 10#${1%.*} * 1000000 + 10#${1#*.} ))
  local now_us=$(( 10#${now%.*} * 1000000 + 10#${now#*.} ))
  printf '%d' $(( (now_us - start_us + 500) / 1000 ))
}

warn_if_busy

# --- Start-up: launch until the first 200 from /healthz, best of N ----------
# The first launch also creates and migrates the database; later ones start on
# the migrated file, as a restart does. "Best" is the fastest.
STARTUP_MS=""
for i in $(seq "$STARTUP_LAUNCHES"); do
  start="$EPOCHREALTIME"
  start_spire "startup-$i"
  until healthz "$SPIRE_PORT"; do
    kill -0 "$SPIRE_PID" 2>/dev/null || die "spire exited during start-up"
    nap 0.001
  done
  elapsed="$(ms_since "$start")"
  stop_pid "$SPIRE_PID" TERM
  SPIRE_PID=""
  if [ -z "$STARTUP_MS" ] || (( elapsed < STARTUP_MS )); then STARTUP_MS="$elapsed"; fi
done
say "start-up best of $STARTUP_LAUNCHES: ${STARTUP_MS} ms"

# --- Spire for the load run -----------------------------------------------
start_spire spire
SPIRE_URL="http://127.0.0.1:$SPIRE_PORT/"
for _ in $(seq 5); do
  curl -fsS -o /dev/null "$SPIRE_URL" || die "GET / from spire failed"
  curl -fsS -o /dev/null "http://127.0.0.1:$SPIRE_PORT/healthz" || die "GET /healthz from spire failed"
done
rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$SPIRE_PID/status")"
IDLE_RSS_MB="$(awk -v kb="$rss_kb" 'BEGIN { printf "%.1f", kb / 1024 }')"
say "idle RSS: ${IDLE_RSS_MB} MB"

# The exact bytes of the templated page, for nginx.
# nginx workers drop to an unprivileged user when started as root: let them
# through the (private) temporary directory to the page, and no further.
chmod 711 "$TMP"
mkdir -m 755 "$TMP/www"
page_status="$(curl -sS -o "$TMP/www/index.html" -w '%{http_code}' "$SPIRE_URL")"
[ "$page_status" = 200 ] || die "GET / from spire answered $page_status"
PAGE_BYTES="$(stat -c %s "$TMP/www/index.html")"
(( PAGE_BYTES > 0 )) || die "GET / from spire was empty"
chmod 644 "$TMP/www/index.html"

# --- nginx serving the same bytes at the same path ----------------------------
port_is_free() {
  if { exec {probe}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
    exec {probe}>&-
    return 1
  fi
  return 0
}

start_nginx() {
  local port="$1"
  mkdir -p "$TMP/nginx/tmp"
  cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events {
  worker_connections 1024;
}
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  server_tokens off;
  client_body_temp_path $TMP/nginx/tmp/body;
  proxy_temp_path $TMP/nginx/tmp/proxy;
  fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
  uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
  scgi_temp_path $TMP/nginx/tmp/scgi;
  types {
    text/html html;
  }
  charset utf-8;
  server {
    listen 127.0.0.1:$port;
    server_name localhost;
    root $TMP/www;
    location = / {
      try_files /index.html =404;
    }
  }
}
EOF
  "${SERVER_CPU[@]}" "$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
    >"$TMP/nginx/stdout" 2>&1 &
  NGINX_PID=$!
  local deadline=$(( EPOCHSECONDS + READY_TIMEOUT_S ))
  while (( EPOCHSECONDS < deadline )); do
    kill -0 "$NGINX_PID" 2>/dev/null || { wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""; return 1; }
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then return 0; fi
    nap 0.05
  done
  return 1
}

NGINX_PORT=""
for _ in $(seq 10); do
  candidate=$(( 20000 + RANDOM % 40000 ))
  port_is_free "$candidate" || continue
  if start_nginx "$candidate"; then NGINX_PORT="$candidate"; break; fi
  stop_pid "$NGINX_PID" QUIT
  NGINX_PID=""
done
[ -n "$NGINX_PORT" ] ||
  die "nginx did not start:"$'\n'"$(cat "$TMP/nginx/stdout" "$TMP/nginx/error.log" 2>/dev/null | tail -n 5)"
NGINX_URL="http://127.0.0.1:$NGINX_PORT/"
cmp -s "$TMP/www/index.html" <(curl -fsS "$NGINX_URL") || die "nginx does not serve the same bytes as spire"

# --- Load -----------------------------------------------------------------
# run_wrk SECONDS URL OUTFILE
run_wrk() {
  timeout $(( $1 + 30 )) "${CLIENT_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"$1s" --latency "$2" >"$3" ||
    die "wrk against $2 failed:"$'\n'"$(cat "$3")"
}

# Requests/sec from a wrk report.
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
# The 99% line of wrk's latency distribution, in ms.
wrk_p99_ms() {
  awk '$1 == "99%" {
         v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
         f = (unit == "us") ? 0.001 : (unit == "ms") ? 1 : (unit == "s") ? 1000 : (unit == "m") ? 60000 : -1
         if (f < 0) exit 1
         printf "%.3f", v * f
       }' "$1"
}
# Fails the run if wrk saw errors or non-2xx answers: a fast error page is no result.
wrk_check() {
  local name="$1" file="$2"
  if grep -q -e '^ *Non-2xx or 3xx responses' -e '^ *Socket errors' "$file"; then
    die "$name: wrk reported errors:"$'\n'"$(cat "$file")"
  fi
}

say "warming up spire and nginx (${WARMUP_SECONDS} s each)"
run_wrk "$WARMUP_SECONDS" "$SPIRE_URL" "$TMP/warmup-spire.txt"
run_wrk "$WARMUP_SECONDS" "$NGINX_URL" "$TMP/warmup-nginx.txt"

say "wrk -t1 -c$CONNECTIONS -d${SECONDS_PER_RUN}s against spire"
run_wrk "$SECONDS_PER_RUN" "$SPIRE_URL" "$TMP/spire.txt"
say "wrk -t1 -c$CONNECTIONS -d${SECONDS_PER_RUN}s against nginx"
run_wrk "$SECONDS_PER_RUN" "$NGINX_URL" "$TMP/nginx.txt"
wrk_check spire "$TMP/spire.txt"
wrk_check nginx "$TMP/nginx.txt"

SPIRE_RPS="$(wrk_rps "$TMP/spire.txt")"
NGINX_RPS="$(wrk_rps "$TMP/nginx.txt")"
SPIRE_P99="$(wrk_p99_ms "$TMP/spire.txt")" || die "cannot read p99 from wrk output"
NGINX_P99="$(wrk_p99_ms "$TMP/nginx.txt")" || die "cannot read p99 from wrk output"
if [ -z "$SPIRE_RPS" ] || [ -z "$NGINX_RPS" ] || [ -z "$SPIRE_P99" ] || [ -z "$NGINX_P99" ]; then
  die "cannot parse wrk output:"$'\n'"$(cat "$TMP/spire.txt" "$TMP/nginx.txt")"
fi

# --- Report ---------------------------------------------------------------
awk -v srps="$SPIRE_RPS" -v nrps="$NGINX_RPS" -v sp99="$SPIRE_P99" -v np99="$NGINX_P99" \
    -v startup="$STARTUP_MS" -v rss="$IDLE_RSS_MB" -v bytes="$PAGE_BYTES" \
    -v min_ratio="$MIN_RATIO" -v max_p99="$MAX_P99_MS" \
    -v max_startup="$MAX_STARTUP_MS" -v max_rss="$MAX_IDLE_RSS_MB" \
    -v secs="$SECONDS_PER_RUN" -v conns="$CONNECTIONS" -v pinned="${#SERVER_CPU[@]}" \
    -v load="$LOAD1" -v cores="$(nproc)" '
  function mark(ok) { return ok ? "ok" : "OVER" }
  BEGIN {
    ratio = srps / nrps
    printf "\nGET / (%d bytes), wrk -t1 -c%d -d%ds, keep-alive, one core per server%s\n",
           bytes, conns, secs, pinned ? " (taskset)" : " (not pinned)"
    printf "load average at start %s on %d cores%s\n\n", load, cores, ((load > cores / 2) ? " (busy: numbers are skewed)" : "")
    printf "%-26s %14s %14s\n", "", "spire", "nginx"
    printf "%-26s %14.0f %14.0f\n", "requests/s", srps, nrps
    printf "%-26s %14.2f %14.2f\n", "p99 latency (ms)", sp99, np99
    printf "\n%-26s %14.2f   bar >= %s  %s\n", "throughput spire/nginx", ratio, min_ratio, mark(ratio >= min_ratio)
    printf "%-26s %14.2f   bar < %s    %s\n", "spire p99 (ms)", sp99, max_p99, mark(sp99 < max_p99)
    printf "%-26s %14d   bar < %s  %s\n", "start-up (ms, best of 5)", startup, max_startup, mark(startup < max_startup)
    printf "%-26s %14.1f   bar < %s   %s\n", "idle RSS (MB)", rss, max_rss, mark(rss < max_rss)
    pass = (ratio >= min_ratio && sp99 < max_p99)
    printf "\n%s: throughput ratio %.2f (>= %s) and spire p99 %.2f ms (< %s ms)\n",
           pass ? "PASS" : "FAIL", ratio, min_ratio, sp99, max_p99
    exit pass ? 0 : 1
  }'
