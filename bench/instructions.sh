#!/usr/bin/env bash
# Counts the instructions the server executes per request of a page, under valgrind's callgrind:
# a count that the machine's load does not move (unlike requests per second), for comparing
# builds whose difference is smaller than the noise of a timed run.
#
#   BENCH_DB=postgres://…/db?sslmode=disable bash bench/instructions.sh BIN PATH [N]
#
# BIN (a release `petitio`) runs alone on BENCH_DB (a database `bash bench/run.sh --full` seeded
# and kept with BENCH_KEEP=1), signed in as the demo officer; PATH (`DEPT`: the officer's
# department) is requested 10 times to warm up, then N times (40 by default) one at a time
# with the counters on. Prints the instructions per request and keeps the profile
# (callgrind.out.*.1 in the current directory) for `callgrind_annotate --inclusive=yes`.
# PostgreSQL's own work is not counted (bench/compare.sh measures its CPU time).
set -euo pipefail
db=${BENCH_DB:?set BENCH_DB to a seeded database (bench/run.sh with BENCH_KEEP=1)}
bin=${1:?the server binary}; path=${2:?the page}; n=${3:-40}
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
work=$(mktemp -d)
vpid=""
trap '[ -n "$vpid" ] && kill "$vpid" 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
out="$PWD/callgrind.out.$(basename "$bin").$$"
env -i PATH="$PATH" HOME="$HOME" DATABASE_URL="$db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_SITE_ROOT="$PWD/target/site" PETITIO_SMTP_URL="smtp://127.0.0.1:1" \
  PETITIO_ATTACHMENTS_DIR="$work/attachments" PETITIO_MAIL_DIR="$work/mail" PETITIO_DEMO=0 \
  PETITIO_LOG=warn PETITIO_RATE_LIMITS="login=1000000/60" \
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" serve >"$work/server.log" 2>&1 &
vpid=$!
for _ in $(seq 600); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.5; done
token=$(curl -fsS -H 'Content-Type: application/json' -H "Origin: $base" \
  -d '{"email":"officer@demo.petitio","password":"demo-password-1"}' "$base/api/v1/auth/login" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
dept=$(psql "$db" -qtAc "SELECT id FROM department WHERE code = 'botanica'")
url="$base${path//DEPT/$dept}"
get() { curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$url"; }
for _ in $(seq 10); do get; done
callgrind_control -z "$vpid" >/dev/null 2>&1
for _ in $(seq "$n"); do get; done
callgrind_control -d "$vpid" >/dev/null 2>&1
kill "$vpid"; wait "$vpid" 2>/dev/null || true; vpid=""
total=$(callgrind_annotate "$out.1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
rm -f "$out"
echo "$(basename "$bin") $path: $(( total / n )) instructions per request ($n requests; profile: $out.1)"
