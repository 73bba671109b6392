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
# E-mail: a bad SMTP URL or a missing sender is a usage error before anything starts.
expect 2 "--smtp-url must start with smtp://" -- "$SPIRE" serve --smtp-url http://mail.example --mail-from a@example.org --db "sqlite:$tmp/a.db"
expect 2 "--smtp-url must be a URL" -- "$SPIRE" serve --smtp-url "not a url" --mail-from a@example.org --db "sqlite:$tmp/a.db"
expect 2 "--mail-from must be a plain address" -- "$SPIRE" serve --smtp-url smtp://127.0.0.1:25 --db "sqlite:$tmp/a.db"
expect 2 "--mail-from must be a plain address" -- env SPIRE_SMTP_URL=smtp://127.0.0.1:25 SPIRE_MAIL_FROM="Spire <a@example.org>" "$SPIRE" serve --db "sqlite:$tmp/a.db"
expect 2 "--mail-poll-ms must be a whole number" -- "$SPIRE" serve --mail-poll-ms 0 --db "sqlite:$tmp/a.db"
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

# E-mail: `serve --smtp-url` runs the outbox worker, which delivers a queued
# message to a real SMTP server (Debian's aiosmtpd, tests/support/smtp_sink.py),
# and stops with the server on SIGTERM.
mdb="$tmp/mail.db"
"$SPIRE" migrate --db "sqlite:$mdb" >/dev/null
sqlite3 "$mdb" "INSERT INTO organisation (slug, name, created_at) VALUES ('baerum', 'Bærum kommune', '2026-11-27T12:00:00.000000Z');
INSERT INTO mail_outbox (organisation_id, kind, recipient, subject, body_text, message_token, created_at, next_attempt_at)
VALUES (1, 'application_receipt', 'kari@baerum.example', 'Søknad mottatt', 'Hei Kari', 'cli-test-token', '2026-11-27T12:00:00.000000Z', '2026-11-27T12:00:00.000000Z');"
smtp_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PYTHONPATH="$(dirname "$0")/../support" /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" \
    -c smtp_sink.Sink "$tmp/inbox" >"$tmp/smtp.log" 2>&1 &
smtp_pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break; sleep 0.1; done
"$SPIRE" serve --port 0 --db "sqlite:$mdb" --smtp-url "smtp://127.0.0.1:$smtp_port" \
    --mail-from noreply@baerum.example --mail-poll-ms 50 >"$tmp/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 300); do [[ -s "$tmp/inbox/000001.json" ]] && break; sleep 0.1; done
kill -TERM "$serve_pid"
wait "$serve_pid"
serve_code=$?
kill "$smtp_pid" 2>/dev/null
wait "$smtp_pid" 2>/dev/null
if [[ $serve_code -eq 0 ]] && grep -q '"rcpt_tos": \["kari@baerum.example"\]' "$tmp/inbox/000001.json" 2>/dev/null &&
    grep -q "worker stopped" "$tmp/serve.log" &&
    [[ "$(sqlite3 "$mdb" "SELECT count(*) FROM mail_outbox WHERE sent_at IS NOT NULL")" == 1 ]]; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL: serve --smtp-url did not deliver the queued mail and stop (exit $serve_code):"
    head -20 "$tmp/serve.log"
fi
# Without --smtp-url the server says once that mail stays queued.
"$SPIRE" serve --port 0 --db "sqlite:$mdb" >"$tmp/serve2.log" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do grep -q "listening" "$tmp/serve2.log" && break; sleep 0.1; done
kill -TERM "$serve_pid"
wait "$serve_pid"
if grep -q "no --smtp-url: e-mail stays queued" "$tmp/serve2.log"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL: serve without --smtp-url did not say that mail stays queued"
fi

# Identity administration: organisations, users, passwords, the audit log.
idb="sqlite:$tmp/identity.db"
for command in "org add" "user add" "user set-password" "audit verify" demo; do
    read -ra words <<<"$command"
    expect 0 "Usage: spire $command" -- "$SPIRE" "${words[@]}" --help
done
expect 2 "Subcommands:" -- "$SPIRE" org
expect 2 "unknown subcommand 'remove'" -- "$SPIRE" user remove
expect 2 "--name is required" -- "$SPIRE" org add --slug baerum --db "$idb"
expect 0 "created organisation baerum" -- "$SPIRE" org add --slug baerum --name "Bærum kommune" --db "$idb"
expect 1 "exists" -- "$SPIRE" org add --slug baerum --name "Bærum kommune" --db "$idb"
expect 1 "--slug: Use 2" -- "$SPIRE" org add --slug "Not_A_Slug" --name "X" --db "$idb"
expect 0 "with the roles fund_manager, admin" -- env SPIRE_PASSWORD=correct-horse-battery \
    "$SPIRE" user add --org baerum --email Kari@Baerum.Example --name "Kari Nordmann" \
    --role fund_manager --role admin --db "$idb"
expect 1 "--email: A user with this e-mail address already exists" -- env SPIRE_PASSWORD=correct-horse-battery \
    "$SPIRE" user add --org baerum --email kari@baerum.example --name "Kari Nordmann" --role admin --db "$idb"
expect 2 "unknown role 'boss'; roles are: applicant" -- \
    "$SPIRE" user add --org baerum --email ola@baerum.example --name "Ola" --role boss --db "$idb"
expect 2 "give --unit" -- \
    "$SPIRE" user add --org baerum --email ola@baerum.example --name "Ola" --role applicant --db "$idb"
expect 1 "No unit called 'Nowhere'" -- \
    "$SPIRE" user add --org baerum --email ola@baerum.example --name "Ola" --role applicant --unit Nowhere --db "$idb"
expect 1 "no organisation has the short name 'oslo'" -- \
    "$SPIRE" user add --org oslo --email ola@baerum.example --name "Ola" --role admin --db "$idb"
expect 1 "--password: The password must be at least 12" -- \
    "$SPIRE" user add --org baerum --email ola@baerum.example --name "Ola" --role admin --password short --db "$idb"
expect 1 "--email: Enter a valid e-mail" -- \
    "$SPIRE" user add --org baerum --email not-an-address --name "Ola" --role admin --db "$idb"
# A password given on standard input, and never echoed back.
out=$(echo "stdin-password-42" | "$SPIRE" user add --org baerum --email ola@baerum.example --name "Ola" \
    --role reviewer --password-stdin --db "$idb" 2>&1)
code=$?
if [[ $code -eq 0 ]] && grep -q "created user ola@baerum.example" <<<"$out" && ! grep -q "stdin-password-42" <<<"$out"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL: user add --password-stdin: $out"
fi
expect 1 "at least 12 characters" -- env SPIRE_PASSWORD=short "$SPIRE" user set-password --email kari@baerum.example --db "$idb"
expect 2 "no password given" -- "$SPIRE" user set-password --email kari@baerum.example --db "$idb"
expect 1 "No user has this e-mail" -- env SPIRE_PASSWORD=long-enough-password "$SPIRE" user set-password --email nobody@baerum.example --db "$idb"
# shellcheck disable=SC2016 # $0 and $1 belong to the inner shell
expect 0 "password changed for kari@baerum.example" -- \
    sh -c 'echo "another-long-password" | "$0" user set-password --email kari@baerum.example --password-stdin --db "$1"' "$SPIRE" "$idb"
expect 0 "audit log OK: [0-9]+ entries" -- "$SPIRE" audit verify --db "$idb"
expect 1 "no database file" -- "$SPIRE" audit verify --db "sqlite:$tmp/none.db"
# Tampering: drop the append-only trigger, rewrite an entry's summary.
sqlite3 "$tmp/identity.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET summary = 'nothing happened' WHERE id = 2"
expect 1 "audit log BROKEN at entry 2" -- "$SPIRE" audit verify --db "$idb"

# Demo data: built once, then left alone.
ddb="sqlite:$tmp/demo.db"
expect 0 "admin@baerum.example" -- "$SPIRE" demo --db "$ddb"
expect 0 "already there" -- "$SPIRE" demo --db "$ddb"
expect 0 "audit log OK" -- "$SPIRE" audit verify --db "$ddb"
if [[ $(sqlite3 "$tmp/demo.db" "SELECT count(*) FROM app_user") == 15 &&
    $(sqlite3 "$tmp/demo.db" "SELECT count(*) FROM organisation") == 2 ]]; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL: demo twice should leave 15 users in 2 organisations"
fi
expect 2 "at least 12 characters" -- "$SPIRE" demo --password short --db "sqlite:$tmp/demo2.db"
# A password the operator chose is not printed (it may come from SPIRE_PASSWORD).
out=$(SPIRE_PASSWORD=operator-chosen-secret "$SPIRE" demo --db "sqlite:$tmp/demo3.db" 2>&1)
code=$?
if [[ $code -eq 0 ]] && grep -q "admin@asker.example" <<<"$out" && ! grep -q "operator-chosen-secret" <<<"$out"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL: demo with SPIRE_PASSWORD printed it or failed: $out"
fi

# Offline ranking (spire rank): a good file gives the result JSON, the same
# again with the same seed; bad files exit 2 naming the place in the file.
cat >"$tmp/rank.json" <<'JSON'
{
  "version": 1,
  "criteria": [
    {"id": "relevance", "weight": 60, "scale": {"min": 1, "max": 7}, "minimum": 4},
    {"id": "feasibility", "weight": 40, "scale": {"min": 1, "max": 7}}
  ],
  "applications": ["A-1", "A-2", 3],
  "reviewers": ["R-1", "R-2"],
  "reviews": [
    {"application": "A-1", "reviewer": "R-1", "scores": {"relevance": 5, "feasibility": 6}},
    {"application": "A-1", "reviewer": "R-2", "scores": {"relevance": 2, "feasibility": 3}},
    {"application": "A-2", "reviewer": "R-2", "scores": {"relevance": 6, "feasibility": 6}},
    {"application": 3, "reviewer": "R-1", "scores": {"relevance": 4, "feasibility": 4}}
  ],
  "seed": 42, "burn_in": 100, "draws": 400
}
JSON
expect 0 "Usage: spire rank FILE" -- "$SPIRE" rank --help
expect 0 '"state": "ranked"' -- "$SPIRE" rank "$tmp/rank.json"
# shellcheck disable=SC2016 # $0 and $1 belong to the inner shell
expect 0 '"expected_rank"' -- sh -c '"$0" rank - <"$1"' "$SPIRE" "$tmp/rank.json"
if "$SPIRE" rank "$tmp/rank.json" >"$tmp/rank1.out" 2>"$tmp/rank.err" &&
    "$SPIRE" rank "$tmp/rank.json" >"$tmp/rank2.out" &&
    cmp -s "$tmp/rank1.out" "$tmp/rank2.out" && [[ ! -s "$tmp/rank.err" ]] &&
    python3 - "$tmp/rank1.out" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
assert result["state"] == "ranked" and result["seed"] == 42
assert set(result["reliability"]) == {"icc1_anova", "model_icc", "model_icc_calibrated"}
apps = result["applications"]
assert [a["id"] for a in apps if a["id"] == "A-1"] and len(apps) == 3
keys = {"id", "expected_rank", "rank_50", "rank_90", "quality", "quality_50", "quality_90",
        "reviews", "raw_mean", "raw_min", "raw_max", "spread", "disagreement", "threshold_failures"}
assert all(set(a) == keys for a in apps)
ranks = [a["expected_rank"] for a in apps]
assert ranks == sorted(ranks) and abs(sum(ranks) - 6) < 1e-3
a1 = next(a for a in apps if a["id"] == "A-1")
assert a1["disagreement"] is True and a1["threshold_failures"] == ["relevance"]
PY
then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL: spire rank: result JSON not as expected or not reproducible"
    head -20 "$tmp/rank1.out" "$tmp/rank.err"
fi
expect 2 "give the ranking file" -- "$SPIRE" rank
expect 2 "give one ranking file, not 2" -- "$SPIRE" rank "$tmp/rank.json" "$tmp/rank.json"
expect 2 "unknown flag --seed" -- "$SPIRE" rank --seed 1 "$tmp/rank.json"
expect 2 "cannot read $tmp/none.json" -- "$SPIRE" rank "$tmp/none.json"
echo '{"criteria": [' >"$tmp/rank_bad.json"
expect 2 "rank_bad.json: The ranking file is not valid JSON" -- "$SPIRE" rank "$tmp/rank_bad.json"
sed 's/"application": 3,/"application": "A-9",/' "$tmp/rank.json" >"$tmp/rank_bad.json"
expect 2 "reviews\[3\]\.application: Unknown application 'A-9'" -- "$SPIRE" rank "$tmp/rank_bad.json"
sed 's/"weight": 40/"weight": 30/' "$tmp/rank.json" >"$tmp/rank_bad.json"
expect 2 "The weights must sum to 100 \(percent\), not 90" -- "$SPIRE" rank "$tmp/rank_bad.json"
sed 's/"relevance": 6,/"relevance": 9,/' "$tmp/rank.json" >"$tmp/rank_bad.json"
expect 2 "reviews\[2\]\.scores\.relevance: Score 9" -- "$SPIRE" rank "$tmp/rank_bad.json"
sed 's/"seed": 42/"seed": "42"/' "$tmp/rank.json" >"$tmp/rank_bad.json"
expect 2 "seed: Expected a whole number, found a string" -- "$SPIRE" rank "$tmp/rank_bad.json"
# Allocation: scenario files, results and lottery records (docs/allocation-file.md).
expect 0 "Usage: spire allocate FILE" -- "$SPIRE" allocate --help
expect 0 "Usage: spire lottery verify FILE" -- "$SPIRE" lottery verify --help
expect 0 "allocate" -- "$SPIRE" --help
expect 2 "FILE is required" -- "$SPIRE" allocate
expect 2 "give exactly one FILE" -- "$SPIRE" allocate a.json b.json
expect 2 "cannot read" -- "$SPIRE" allocate "$tmp/none.json"
expect 2 "Subcommands:" -- "$SPIRE" lottery
expect 2 "unknown subcommand 'draw'" -- "$SPIRE" lottery draw
echo '{"format": "spire-allocation-scenario/1", "method": "optimal"' >"$tmp/broken.json"
expect 2 "not JSON" -- "$SPIRE" allocate "$tmp/broken.json"
cat >"$tmp/scenario.json" <<'JSON'
{"format": "spire-allocation-scenario/1", "method": "optimal",
 "budgets": [{"year": 2024, "programme": "risk", "amount_ore": 1000}],
 "candidates": [
  {"id": "a", "value": 10, "costs": [{"year": 2024, "programme": "risk", "amount_ore": 600}]},
  {"id": "b", "value": 7, "costs": [{"year": 2024, "programme": "risk", "amount_ore": 500}]},
  {"id": "c", "value": 6, "costs": [{"year": 2024, "programme": "risk", "amount_ore": 500}]}]}
JSON
expect 0 '"status":"optimal".*"objective":1.3E1' -- "$SPIRE" allocate "$tmp/scenario.json"
expect 0 '"total_ore":1000' -- "$SPIRE" allocate - <"$tmp/scenario.json"
sed 's/"amount_ore": 600/"amount_ore": -600/' "$tmp/scenario.json" >"$tmp/negative.json"
expect 2 "candidates/0/costs/0/amount_ore: must be an amount" -- "$SPIRE" allocate "$tmp/negative.json"
sed 's/"programme": "risk", "amount_ore": 500}]},/"programme": "research", "amount_ore": 500}]},/' \
    "$tmp/scenario.json" >"$tmp/unknown.json"
expect 2 "no budget for 2024/research" -- "$SPIRE" allocate "$tmp/unknown.json"
sed 's/"value": 10,/"value": 10, "lock": "yes", "unit": "u",/; s/"value": 7,/"value": 7, "lock": "yes", "unit": "u",/' \
    "$tmp/scenario.json" >"$tmp/locked.json"
expect 1 "infeasible: .*2024/risk" -- "$SPIRE" allocate "$tmp/locked.json"
cat >"$tmp/lottery.json" <<'JSON'
{"format": "spire-allocation-scenario/1", "method": "lottery",
 "lottery": {"seed": "announced 2024-05-01", "line_grants": 3},
 "budgets": [{"year": 2024, "programme": "risk", "amount_ore": 100000}],
 "candidates": [
  {"id": "top", "value": 1, "rank": {"expected": 1, "low": 1, "high": 2},
   "costs": [{"year": 2024, "programme": "risk", "amount_ore": 100}]},
  {"id": "grey-1", "value": 1, "rank": {"expected": 3, "low": 2, "high": 5},
   "costs": [{"year": 2024, "programme": "risk", "amount_ore": 100}]},
  {"id": "grey-2", "value": 1, "rank": {"expected": 3.5, "low": 2, "high": 6},
   "costs": [{"year": 2024, "programme": "risk", "amount_ore": 100}]},
  {"id": "grey-3", "value": 1, "rank": {"expected": 4, "low": 3, "high": 6},
   "costs": [{"year": 2024, "programme": "risk", "amount_ore": 100}]},
  {"id": "low", "value": 1, "rank": {"expected": 8, "low": 7, "high": 9},
   "costs": [{"year": 2024, "programme": "risk", "amount_ore": 100}]}]}
JSON
if "$SPIRE" allocate "$tmp/lottery.json" >"$tmp/result.json" 2>"$tmp/result.err"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL: allocate lottery.json: $(cat "$tmp/result.err")"
fi
expect 0 "verified: 3 in the lottery group" -- "$SPIRE" lottery verify "$tmp/result.json"
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["lottery"]))' \
    "$tmp/result.json" >"$tmp/record.json"
expect 0 "verified" -- "$SPIRE" lottery verify "$tmp/record.json"
python3 -c 'import json,sys; print(json.dumps({"scenario": json.load(open(sys.argv[1])), "result": json.load(open(sys.argv[2]))}))' \
    "$tmp/lottery.json" "$tmp/result.json" >"$tmp/both.json"
expect 0 "re-run from the scenario" -- "$SPIRE" lottery verify "$tmp/both.json"
# Tampering: another winner; another seed in the scenario.
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["winners"]=[r["order"][-1], r["order"][-2]]; print(json.dumps(r))' \
    "$tmp/record.json" >"$tmp/tampered.json"
expect 1 "winners are" -- "$SPIRE" lottery verify "$tmp/tampered.json"
sed 's/announced 2024-05-01/announced 2024-05-02/' "$tmp/both.json" >"$tmp/reseeded.json"
expect 1 "does not match" -- "$SPIRE" lottery verify "$tmp/reseeded.json"
expect 2 "is not valid" -- "$SPIRE" lottery verify "$tmp/scenario.json"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
