#!/usr/bin/env bash
# The benchmark harness (issue 11): one command that measures the portal, its limits and,
# with --peer, a real peer (django-helpdesk, ../shared/bench-peer) on this machine in one run.
#
#   bash bench/run.sh                 100,000 cases, release build
#   bash bench/run.sh --full          1,000,000 cases
#   bash bench/run.sh --peer          also the peer, on the same PostgreSQL, same load
#   bash bench/run.sh --smoke         seconds: 2,000 cases, the debug build, 2 s per scenario,
#                                     no ticker/mail benches (what .ci/test runs, so it cannot rot)
#   options: --cases N  --duration S (20)  --warmup S (5)  --concurrency C (16)  --no-build
#            (BENCH_POOL: the server's PostgreSQL connections, 2 x cores by default)
#            --only a,b  only these parts (file_api file_form queue search case_page dashboard
#                        my_cases sqlite_file_api pgbench bare_axum ticker), e.g. to profile one
#
# What it does:
#  1. builds the release site (server + WASM, precompressed) and a bare axum server;
#  2. on a fresh PostgreSQL database: migrates, loads the demo, seeds N cases (bench/seed.sql,
#     one INSERT … generate_series) and reports the rate; the same on SQLite for its filing
#     part (bench/seed-sqlite.sql);
#  3. starts the release server (SMTP to a local sink) and drives it with wrk over loopback,
#     closed loop at C connections, a warm-up then a measured run per scenario: filing through
#     the JSON API (answered after the commit, outbox row included: the rows are counted),
#     filing through the HTML form (no JS), the officer's queue page, one search, the case
#     page, the manager's dashboard, the citizen's "my cases"; then filing on SQLite (N cases);
#  4. the limits in the same run: pgbench with bench/filing.pgbench (the filing's transaction
#     shape) at the same concurrency, and the bare axum handler under the same wrk load;
#  5. the deadline ticker's sweep with 1,000,000 open cases and the mail sender's rate
#     (`cargo bench --bench workflow` and `--bench mail`), WASM size (raw, gzip), server start
#     time, server RSS idle and at its peak under each scenario;
#  6. writes bench/results/<date>.md and bench/results/<date>.json (ratios to the limits and
#     to the peer included) and prints the table.
# It installs what it needs (wrk, pgbench) from Debian's packages.
set -euo pipefail
cd "$(dirname "$0")/.."
export LEPTOS_OUTPUT_NAME=petitio
root=$(pwd)

cases=100000 peer=0 smoke=0 build=1 duration=20 warmup=5 conc=16 only=""
while [ $# -gt 0 ]; do
  case $1 in
    --full) cases=1000000 ;;
    --cases) cases=$2; shift ;;
    --peer) peer=1 ;;
    --smoke) smoke=1 cases=2000 duration=2 warmup=1 ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --concurrency) conc=$2; shift ;;
    --no-build) build=0 ;;
    --only) only=",$2,"; shift ;;
    *) echo "unknown option $1 (see the head of bench/run.sh)" >&2; exit 2 ;;
  esac
  shift
done
profile=release
[ "$smoke" = 1 ] && profile=debug
pg_admin=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
# The server's PostgreSQL connections: twice the cores, the usual sizing for a database on the
# same machine (README, "Sizing the connection pool"). With 20 on 2 cores, 16 backends fought
# the server for the CPU and the queue page's p99 rose by half (bench/results/2026-11-27f-queue.md).
pool=${BENCH_POOL:-$(( 2 * $(nproc) ))}
peer_dir=${PEER_DIR:-$root/../shared/bench-peer}
say() { printf '[bench] %s\n' "$*" >&2; }
want() { [ -z "$only" ] || [[ $only == *",$1,"* ]]; }
t_start=$(date +%s)

# --- tools -------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v pgbench >/dev/null || need+=(postgresql-client)
command -v psql >/dev/null || need+=(postgresql-client)
command -v sqlite3 >/dev/null || need+=(sqlite3)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq >/dev/null && $sudo_ apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install -q aiosmtpd

work=$(mktemp -d)
server_pid="" sink_pid="" bare_pid="" pg_db="petitio_bench_run_$$"
cleanup() {
  for p in $server_pid $sink_pid $bare_pid; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${BENCH_KEEP:-0}" = 1 ] && say "kept database $pg_db" || \
    psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  # a run that stopped early keeps what it measured
  [ -f "${out:-/nonexistent}.md" ] || cp "$results" "${TMPDIR:-/tmp}/petitio-bench-partial.jsonl" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
out=${BENCH_OUT:-bench/results/$(date +%F)}
results=$work/results.jsonl
: >"$results"
# record KEY JSON: one line of the results (scenario records and facts alike)
record() { printf '{"key":"%s","value":%s}\n' "$1" "$2" >>"$results"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }'; }
wait_http() { # url: seconds until it answers 200 (fails after 60 s)
  local t0; t0=$(date +%s.%N)
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && { since "$t0"; return 0; }
    sleep 0.1
  done
  say "no answer from $1"; return 1
}

# --- 1. build ----------------------------------------------------------------------------
if [ "$build" = 1 ]; then
  t=$(date +%s)
  if [ "$profile" = release ]; then
    say "building the release site (server + WASM)"
    cargo leptos build --release --precompress 2>&1 | tail -1 >&2
    cargo build -q --release -p server --example bare
  else
    cargo leptos build 2>&1 | tail -1 >&2
    cargo build -q -p server --example bare
  fi
  record build_seconds "$(( $(date +%s) - t ))"
fi
# cargo's output may live elsewhere (CARGO_TARGET_DIR); the site always under target/site
bin=${CARGO_TARGET_DIR:-$root/target}/$profile/petitio
bare=${CARGO_TARGET_DIR:-$root/target}/$profile/examples/bare
wasm=$root/target/site/pkg/petitio.wasm
[ -x "$bin" ] && [ -x "$bare" ] && [ -f "$wasm" ] || { say "missing build output ($bin, $bare, $wasm)"; exit 1; }
record wasm "{\"raw\":$(stat -c %s "$wasm"),\"gzip\":$(gzip -9c "$wasm" | wc -c)}"

# --- 2. database and seed ----------------------------------------------------------------
sink_port=$(free_port)
python3 -m aiosmtpd -n -l "127.0.0.1:$sink_port" -c aiosmtpd.handlers.Sink >/dev/null 2>&1 &
sink_pid=$!
# Loopback: no TLS between the server and PostgreSQL (nor for pgbench). With the default
# sslmode=prefer, TLS took 18% of the server's CPU on the queue page (bench/results).
pg_url="${pg_admin%/*}/$pg_db?sslmode=disable"
psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
server_env() { # database-url port
  echo DATABASE_URL="$1" LEPTOS_SITE_ADDR="127.0.0.1:$2" LEPTOS_SITE_ROOT="$root/target/site" \
    PETITIO_SMTP_URL="smtp://127.0.0.1:$sink_port" PETITIO_ATTACHMENTS_DIR="$work/attachments" \
    PETITIO_MAIL_DIR="$work/mail" PETITIO_DEMO=0 PETITIO_LOG=warn PETITIO_DB_POOL_SIZE=$pool \
    PETITIO_RATE_LIMITS="login=1000000/60,filing=100000000/3600"
}
say "migrating and loading the demo"
env -i PATH="$PATH" HOME="$HOME" $(server_env "$pg_url" 0) "$bin" migrate >/dev/null
env -i PATH="$PATH" HOME="$HOME" $(server_env "$pg_url" 0) "$bin" seed-demo --no-cases >/dev/null
say "seeding $cases cases"
t=$(date +%s.%N)
psql "$pg_url" -q -v cases="$cases" -f bench/seed.sql >/dev/null
seed_s=$(since "$t")
record seed "{\"cases\":$cases,\"seconds\":$seed_s}"

# --- 3. the portal under load -------------------------------------------------------------
start_server() { # database-url: starts it, records its start time and idle memory
  local port; port=$(free_port)
  env -i PATH="$PATH" HOME="$HOME" $(server_env "$1" "$port") "$bin" serve >"$work/server.log" 2>&1 &
  server_pid=$!
  base="http://127.0.0.1:$port"
  start_s=$(wait_http "$base/healthz") || { tail -20 "$work/server.log" >&2; exit 1; }
  sleep 1
  idle_kb=$(awk '/^VmRSS:/{print $2}' "/proc/$server_pid/status")
}
stops=0
stop_server() { # SIGTERM; the server stops within its grace periods (startup.rs), or it is a defect
  kill "$server_pid"
  local waited=0
  while kill -0 "$server_pid" 2>/dev/null; do
    if [ "$waited" -ge 1500 ]; then
      say "the server did not stop within 150 s of SIGTERM; its log:"; tail -30 "$work/server.log" >&2
      kill -9 "$server_pid"; exit 1
    fi
    sleep 0.1; waited=$(( waited + 1 ))
  done
  wait "$server_pid" 2>/dev/null || true; server_pid=""
  record "stop_$(( ++stops ))" "{\"seconds\":$(( waited / 10 ))}"
}
token() { # email: a bearer token
  curl -fsS -H 'Content-Type: application/json' -H "Origin: $base" \
    -d "{\"email\":\"$1\",\"password\":\"demo-password-1\"}" "$base/api/v1/auth/login" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
sql() { # database-url query: one value (sqlite3 for SQLite, psql for PostgreSQL)
  case $1 in
    sqlite://*) local f=${1#sqlite://}; sqlite3 "${f%%\?*}" "$2" ;;
    *) psql "$1" -qtAc "$2" ;;
  esac
}
# scenario NAME SYSTEM-PID SCRIPT URL [HEADER…]: warm-up, then a measured wrk run while the
# server's resident memory is sampled; records wrk's numbers and the peak RSS.
scenario() {
  local name=$1 pid=$2 script=$3 url=$4; shift 4
  want "$name" || return 0
  local hdrs=() h
  for h in "$@"; do hdrs+=(-H "$h"); done
  say "$name: $url"
  BENCH_LUA=$root/bench/lua wrk -t2 -c"$conc" -d"${warmup}s" --timeout 10s "${hdrs[@]}" \
    -s "bench/lua/$script" "$url" >/dev/null
  (peak=0; while kill -0 "$pid" 2>/dev/null; do
     v=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
     [ "${v:-0}" -gt "$peak" ] && { peak=$v; echo "$peak" >"$work/peak"; }
     sleep 0.2; done) &
  local sampler=$!
  BENCH_LUA=$root/bench/lua wrk -t2 -c"$conc" -d"${duration}s" --timeout 10s "${hdrs[@]}" \
    -s "bench/lua/$script" "$url" >"$work/$name.wrk"
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  local line; line=$(grep '^RESULT ' "$work/$name.wrk" | cut -d' ' -f2-)
  [ -n "$line" ] || { cat "$work/$name.wrk" >&2; exit 1; }
  record "$name" "$(python3 -c 'import json, sys; r = json.loads(sys.argv[1]); r["rss_peak_kb"] = int(sys.argv[2]); print(json.dumps(r))' "$line" "$(cat "$work/peak" 2>/dev/null || echo 0)")"
  rm -f "$work/peak"
}
expect_page() { # url text header…: the page answers 200 and holds text
  local url=$1 text=$2; shift 2
  local hdrs=() h; for h in "$@"; do hdrs+=(-H "$h"); done
  curl -fsS "${hdrs[@]}" "$url" | grep -q -- "$text" || { say "$url lacks $text"; exit 1; }
}

say "starting the release server on PostgreSQL"
start_server "$pg_url"
record start "{\"seconds\":$start_s,\"rss_idle_kb\":$idle_kb}"
officer=$(token officer@demo.petitio)
manager=$(token manager@demo.petitio)
citizen=$(token citizen@demo.petitio)
dept=$(sql "$pg_url" "SELECT id FROM department WHERE code = 'botanica'")
year=$(date +%Y)
filed() { sql "$1" "SELECT count(*) FROM petition_case WHERE reg_year = $year"; }
outboxed() { sql "$1" "SELECT count(*) FROM mail_outbox WHERE template = 'case_registered'"; }

# filing: the rows made during the measured run are counted against the 201s wrk saw
filing() { # name url-of-db script path header…
  local name=$1 db=$2; shift 2
  want "$name" || return 0
  local before mails; before=$(filed "$db"); mails=$(outboxed "$db")
  scenario "$name" "$server_pid" "$@"
  record "${name}_rows" "{\"cases\":$(( $(filed "$db") - before )),\"receipts\":$(( $(outboxed "$db") - mails ))}"
}
filing file_api "$pg_url" file_api.lua "$base/api/v1/cases" "Authorization: Bearer $citizen" \
  "Content-Type: application/json"
filing file_form "$pg_url" file_form.lua "$base/api/file_case" "Cookie: petitio_session=$citizen" "Origin: $base"
expect_page "$base/birou?department_id=$dept" "CHI-2099-" "Authorization: Bearer $officer"
scenario queue "$server_pid" get.lua "$base/birou?department_id=$dept" "Authorization: Bearer $officer"
# the search: "cantina nr. G" for the last seeded case of the officer's department about a
# canteen (the word matches a seventh of all cases, the number a few)
g=$(sql "$pg_url" "SELECT max(reg_seq) FROM petition_case WHERE reg_year = 2099 AND department_id = $dept AND closed_at IS NULL AND subject LIKE 'cantina %'")
expect_page "$base/birou?q=cantina+nr.+$g" "CHI-2099-$(printf %07d "$g")" "Authorization: Bearer $officer"
scenario search "$server_pid" get.lua "$base/birou?q=cantina+nr.+$g" "Authorization: Bearer $officer"
# (each part only when it runs: the case page and "my cases" look for this year's filings)
if want case_page; then
case_id=$(sql "$pg_url" "SELECT min(id) FROM petition_case WHERE reg_year = $year")
case_no=$(sql "$pg_url" "SELECT registration_number FROM petition_case WHERE id = $case_id")
expect_page "$base/cazuri/$case_id" "$case_no" "Authorization: Bearer $manager"
scenario case_page "$server_pid" get.lua "$base/cazuri/$case_id" "Authorization: Bearer $manager"
fi
if want dashboard; then
expect_page "$base/birou/indicatori" "<svg" "Authorization: Bearer $manager"
scenario dashboard "$server_pid" get.lua "$base/birou/indicatori" "Authorization: Bearer $manager"
fi
if want my_cases; then
expect_page "$base/cazurile-mele" "CHI-$year-" "Authorization: Bearer $citizen"
scenario my_cases "$server_pid" get.lua "$base/cazurile-mele" "Authorization: Bearer $citizen"
fi
record rss_peak "{\"kb\":$(awk '/^VmHWM:/{print $2}' "/proc/$server_pid/status")}"
stop_server

if want sqlite_file_api; then
say "filing on SQLite (a fresh database with the demo and the same $cases cases)"
sqlite_url="sqlite://$work/bench.db?mode=rwc"
env -i PATH="$PATH" HOME="$HOME" $(server_env "$sqlite_url" 0) "$bin" seed-demo --no-cases >/dev/null
t=$(date +%s.%N)
sqlite3 "$work/bench.db" ".parameter set :cases $cases" ".read bench/seed-sqlite.sql" >/dev/null
record seed_sqlite "{\"cases\":$cases,\"seconds\":$(since "$t")}"
start_server "$sqlite_url"
citizen=$(token citizen@demo.petitio)
filing sqlite_file_api "$sqlite_url" file_api.lua "$base/api/v1/cases" \
  "Authorization: Bearer $citizen" "Content-Type: application/json"
stop_server
fi

# --- 4. the limits -------------------------------------------------------------------------
if want pgbench; then
say "pgbench: the filing's transaction shape, $conc clients"
pgbench -n -c "$conc" -j 2 -T "$warmup" -f bench/filing.pgbench "$pg_url" >/dev/null 2>&1
pgbench -n -c "$conc" -j 2 -T "$duration" -f bench/filing.pgbench "$pg_url" >"$work/pgbench.txt" 2>&1 \
  || { cat "$work/pgbench.txt" >&2; exit 1; }
record pgbench "$(python3 - "$work/pgbench.txt" <<'PY'
import json, re, sys
t = open(sys.argv[1]).read()
tps = float(re.search(r"tps = ([\d.]+)", t).group(1))
lat = float(re.search(r"latency average = ([\d.]+) ms", t).group(1))
failed = int(re.search(r"number of failed transactions: (\d+)", t).group(1))
print(json.dumps({"tps": tps, "latency_avg_ms": lat, "failed": failed}))
PY
)"
fi
if want bare_axum; then
port=$(free_port)
"$bare" "127.0.0.1:$port" >/dev/null 2>&1 &
bare_pid=$!
wait_http "http://127.0.0.1:$port/" >/dev/null
scenario bare_axum "$bare_pid" get.lua "http://127.0.0.1:$port/"
kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true; bare_pid=""
fi

# --- 5. ticker, mail sender ----------------------------------------------------------------
if [ "$smoke" = 0 ] && want ticker; then
  say "deadline ticker (1,000,000 open cases) and mail sender: cargo bench"
  cargo bench -q -p server --bench workflow 2>"$work/workflow.err" >"$work/workflow.txt" ||
    { say "the workflow bench failed:"; tail -5 "$work/workflow.err" >&2; }
  BENCH_MAILS=${BENCH_MAILS:-5000} cargo bench -q -p server --bench mail 2>"$work/mail.err" >"$work/mail.txt" ||
    { say "the mail bench failed:"; tail -5 "$work/mail.err" >&2; }
  record ticker "$(python3 - "$work/workflow.txt" <<'PY'
import json, re, sys
t = open(sys.argv[1]).read()
def us(label):
    m = re.search(re.escape(label) + r"[^|]*\| ([\d,.]+) µs", t)
    return float(m.group(1).replace(",", "")) if m else None
print(json.dumps({"nothing_due_us": us("nothing due"), "due_10000_us": us("10,000 due")}))
PY
)"
  record mail "$(python3 - "$work/mail.txt" <<'PY'
import json, re, sys
rows = re.findall(r"mail sender, (SQLite|PostgreSQL)\b[^|]*?(\d+) at once[^|]*\| ([\d,]+) mails/s", open(sys.argv[1]).read())
print(json.dumps([{"db": d, "concurrency": int(c), "per_s": int(r.replace(",", ""))} for d, c, r in rows]))
PY
)"
fi

# --- 6. the peer ---------------------------------------------------------------------------
if [ "$peer" = 1 ]; then
  [ -d "$peer_dir" ] || { say "no peer at $peer_dir (set PEER_DIR)"; exit 1; }
  say "the peer: django-helpdesk (set-up, seed, bench with 2 gunicorn workers)"
  peer_root=${PEER_ROOT:-${TMPDIR:-/tmp}/petitio-peer}
  # The same conditions as ours: no TLS to PostgreSQL on loopback (libpq reads PGSSLMODE).
  export PGSSLMODE=disable
  { bash "$peer_dir/setup.sh" >"$work/peer-setup.log" 2>&1 &&
    "$peer_root/venv/bin/python" "$peer_dir/seed.py" --reset >"$work/peer-seed.log" 2>&1 &&
    DURATION=$duration WARMUP=$warmup CONC=$conc bash "$peer_dir/bench.sh" 2 >"$work/peer.txt" 2>"$work/peer.log"; } ||
    { say "the peer failed (its logs:)"; tail -5 "$work"/peer*.log >&2; : >"$work/peer.txt"; }
  while read -r name rps p50 p99 errors; do
    record "peer_$name" "{\"rps\":$rps,\"p50_ms\":$p50,\"p99_ms\":$p99,\"errors\":$errors}"
  done <"$work/peer.txt"
fi

# --- 7. the results files ------------------------------------------------------------------
record meta "{\"cases\":$cases,\"concurrency\":$conc,\"duration_s\":$duration,\"warmup_s\":$warmup,\"profile\":\"$profile\",\"smoke\":$smoke,\"peer\":$peer,\"commit\":\"$(git rev-parse --short HEAD)\",\"date\":\"$(date -u +%FT%TZ)\",\"cores\":$(nproc),\"pool\":$pool,\"total_seconds\":$(( $(date +%s) - t_start ))}"
[ "$smoke" = 1 ] && out=${BENCH_OUT:-$work/smoke}
mkdir -p "$(dirname "$out")"
python3 bench/report.py "$results" "$out"
cat "$out.md"
