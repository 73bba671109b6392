#!/usr/bin/env bash
# The command line: help, bad flags, unusable databases and failed start-up
# must end with a clear message and a non-zero exit code.
#   tests/cli/cli_test.sh path/to/spire
set -uo pipefail
SPIRE="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# expect CODE PATTERN -- command...: exit code and a pattern in stdout+stderr.
expect() {
    local want_code="$1" pattern="$2"
    shift 3
    local out code
    out=$("$@" 2>&1)
    code=$?
    if [[ "$code" == "$want_code" ]] && grep -qE -- "$pattern" <<<"$out"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $* -> exit $code (want $want_code), output:"
        echo "$out" | head -5
        echo "  (wanted pattern: $pattern)"
    fi
}

expect 2 "Usage: spire COMMAND" -- "$SPIRE"
expect 0 "Commands:" -- "$SPIRE" --help
expect 2 "unknown command 'frobnicate'" -- "$SPIRE" frobnicate
expect 0 "^spire [0-9]+\.[0-9]+\.[0-9]+" -- "$SPIRE" version
for command in serve migrate version; do
    expect 0 "Usage: spire $command" -- "$SPIRE" "$command" --help
done
expect 0 "SPIRE_DB" -- "$SPIRE" serve --help
expect 2 "unknown flag --prot" -- "$SPIRE" serve --prot 80
expect 2 "--port must be a whole number" -- "$SPIRE" serve --port 99999 --db "sqlite:$tmp/a.db"
expect 2 "--threads must be a whole number" -- "$SPIRE" serve --threads zero --db "sqlite:$tmp/a.db"
expect 2 "--port must be a whole number" -- env SPIRE_PORT=http "$SPIRE" serve --db "sqlite:$tmp/a.db"
expect 2 "needs a value" -- "$SPIRE" migrate --db
expect 2 "unexpected argument" -- "$SPIRE" migrate extra

# Unusable databases.
expect 1 "cannot open database" -- "$SPIRE" migrate --db "mysql://x"
mkdir -p "$tmp/readonly" && chmod 0555 "$tmp/readonly"
if [[ $(id -u) -ne 0 ]]; then
    expect 1 "cannot open database" -- "$SPIRE" migrate --db "sqlite:$tmp/readonly/x.db"
fi
touch "$tmp/file" # a file where a directory should be
expect 1 "cannot open database" -- "$SPIRE" migrate --db "sqlite:$tmp/file/x.db"
echo "not a database, just text that is long enough to fill a header page......" >"$tmp/garbage.db"
expect 1 "cannot open database|migration failed" -- "$SPIRE" migrate --db "sqlite:$tmp/garbage.db"
expect 1 "cannot open database" -- "$SPIRE" migrate --db "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"

# A good migrate, then again (idempotent).
expect 0 "applied migration platform 1" -- "$SPIRE" migrate --db "sqlite:$tmp/good.db"
expect 0 "up to date" -- "$SPIRE" migrate --db "sqlite:$tmp/good.db"

# A database migrated by a newer Spire is refused.
sqlite3 "$tmp/good.db" "INSERT INTO schema_migrations(module, version, name, applied_at) VALUES ('platform', 999, 'from_the_future', '2030-01-01T00:00:00Z')"
expect 1 "newer" -- "$SPIRE" migrate --db "sqlite:$tmp/good.db"
expect 1 "newer" -- "$SPIRE" serve --port 0 --db "sqlite:$tmp/good.db"

# serve refuses a missing template directory instead of starting half-configured.
expect 1 "template|static" -- "$SPIRE" serve --port 0 --db "sqlite:$tmp/b.db" --root "$tmp/nowhere"
# and a port already in use.
python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)' >"$tmp/port" &
holder=$!
for _ in $(seq 50); do [[ -s "$tmp/port" ]] && break; sleep 0.1; done
expect 1 "cannot listen" -- "$SPIRE" serve --port "$(cat "$tmp/port")" --db "sqlite:$tmp/c.db"
kill "$holder" 2>/dev/null

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
