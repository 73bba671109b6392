# shellcheck shell=bash
# What the page benchmarks (applications.sh, ranking_page.sh) share: a
# Release `spire serve --threads 1` pinned to CPU 0 with wrk and curl on CPU 1,
# a logged-in fund manager, wrk runs and their numbers, and nginx serving the
# same bytes for the ratio. Sourced after bench/lib.sh, with BIN, DB_URL (per
# engine), MANAGER, PASSWORD and READY_TIMEOUT_S set and TMP made.

for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (scripts/install-deps)"
done
NGINX="$(command -v nginx)"

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
# Called by bench/lib.sh's exit trap.
stop_own() {
  stop_pid "$SPIRE_PID" TERM
  stop_pid "$NGINX_PID" QUIT
}

# start_spire NAME: Spire on DB_URL (sets SPIRE_PID, SPIRE_PORT).
start_spire() {
  local name="$1" deadline line
  "${SERVER_CPU[@]}" "$BIN" serve --port 0 --threads 1 --db "$DB_URL" \
    >"$TMP/$name.out" 2>"$TMP/$name.err" &
  SPIRE_PID=$!
  deadline=$(( EPOCHSECONDS + READY_TIMEOUT_S ))
  SPIRE_PORT=""
  while [ -z "$SPIRE_PORT" ]; do
    if line="$(grep -m1 -o 'listening on http://127\.0\.0\.1:[0-9]*' "$TMP/$name.out" 2>/dev/null)"; then
      SPIRE_PORT="${line##*:}"
      break
    fi
    kill -0 "$SPIRE_PID" 2>/dev/null || die "spire did not start:"$'\n'"$(tail -n 20 "$TMP/$name.out" "$TMP/$name.err")"
    (( EPOCHSECONDS < deadline )) || die "spire did not start within ${READY_TIMEOUT_S} s"
    sleep 0.05
  done
}

# log_in: sets COOKIE ("__Host-spire=..."), as a browser would get it.
log_in() {
  local base="http://127.0.0.1:$SPIRE_PORT" csrf session
  curl -sS -o /dev/null -D "$TMP/login-get.h" -H 'Host: x' "$base/login" || die "GET /login failed"
  csrf="$(sed -n 's/^[Ss]et-[Cc]ookie: __Host-spire_csrf=\([^;]*\).*/\1/p' "$TMP/login-get.h" | tr -d '\r')"
  [ -n "$csrf" ] || die "no CSRF cookie from GET /login"
  curl -sS -o /dev/null -D "$TMP/login-post.h" -H 'Host: x' -H 'Origin: http://x' \
    -H "Cookie: __Host-spire_csrf=$csrf" \
    --data-urlencode "_csrf=$csrf" --data-urlencode "email=$MANAGER" \
    --data-urlencode "password=$PASSWORD" "$base/login" || die "POST /login failed"
  session="$(sed -n 's/^[Ss]et-[Cc]ookie: __Host-spire=\([^;]*\).*/\1/p' "$TMP/login-post.h" | tr -d '\r')"
  [ -n "$session" ] || die "logging in as $MANAGER failed:"$'\n'"$(cat "$TMP/login-post.h")"
  COOKIE="__Host-spire=$session"
}

# fetch_ms PATH FILE: GET as the fund manager, the body in FILE; prints the
# time in ms; fails unless 200.
fetch_ms() {
  local out status seconds
  out="$(curl -sS -o "$2" -w '%{http_code} %{time_total}' -H 'Host: x' -H "Cookie: $COOKIE" \
    "http://127.0.0.1:$SPIRE_PORT$1")"
  read -r status seconds <<<"$out"
  [ "$status" = 200 ] || die "GET $1 answered $status"
  awk -v s="$seconds" 'BEGIN { printf "%.1f", s * 1000 }'
}
# fetch PATH FILE: the same, silent.
fetch() { fetch_ms "$@" >/dev/null; }

run_wrk() { # CONNECTIONS SECONDS URL OUTFILE [HEADER...]
  local connections="$1" seconds="$2" url="$3" out="$4"
  shift 4
  timeout $(( seconds + 60 )) "${CLIENT_CPU[@]}" wrk -t1 -c"$connections" -d"${seconds}s" \
    --timeout 30s --latency "$@" "$url" >"$out" || die "wrk against $url failed:"$'\n'"$(cat "$out")"
  # A fast error page is no result; a slow page is one (its timeouts are
  # reported, not hidden).
  if grep -q -e '^ *Non-2xx or 3xx responses' -e '^ *Socket errors: connect [1-9]' \
    -e '^ *Socket errors: connect [0-9]*, read [1-9]' "$out"; then
    die "wrk against $url reported errors:"$'\n'"$(cat "$out")"
  fi
}
wrk_timeouts() { sed -n 's/.*timeout \([0-9]*\).*/\1/p' "$1" | head -n 1; }
wrk_requests() { awk '/ requests in / { print $1 }' "$1"; }
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_ms() { # FILE PERCENTILE ("50%", "99%"): that latency in ms
  awk -v p="$2" '$1 == p {
         v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
         f = (unit == "us") ? 0.001 : (unit == "ms") ? 1 : (unit == "s") ? 1000 : (unit == "m") ? 60000 : -1
         if (f < 0) exit 1
         printf "%.3f", v * f
       }' "$1"
}
# spire_cpu_ms: the server's user + system CPU time so far, in ms. Divided
# by the requests of a run it is the CPU cost of one request, which a busy
# machine does not inflate the way it inflates latency.
spire_cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$SPIRE_PID/stat"
}

# start_nginx PORT PATH: nginx serving $TMP/www/index.html at PATH (sets
# NGINX_PID); fails when it does not answer within 10 s.
start_nginx() {
  local port="$1" path="$2"
  mkdir -p "$TMP/nginx/tmp"
  cat >"$TMP/nginx/nginx.conf" <<NGINX
daemon off;
master_process on;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
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
  types { text/html html; }
  charset utf-8;
  server {
    listen 127.0.0.1:$port;
    root $TMP/www;
    location = $path { default_type text/html; try_files /index.html =404; }
  }
}
NGINX
  "${SERVER_CPU[@]}" "$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
    >"$TMP/nginx/stdout" 2>&1 &
  NGINX_PID=$!
  local deadline=$(( EPOCHSECONDS + 10 ))
  while (( EPOCHSECONDS < deadline )); do
    kill -0 "$NGINX_PID" 2>/dev/null || { wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""; return 1; }
    if curl -fsS -o /dev/null "http://127.0.0.1:$port$path" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}
