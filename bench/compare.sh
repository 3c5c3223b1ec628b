#!/usr/bin/env bash
# Compares server builds page by page on one seeded database, with the CPU each page costs.
#
#   BENCH_DB=postgres://…/petitio_bench_run_123 bash bench/compare.sh BIN[:LABEL]… -- PATH…
#
# Each BIN (a release `petitio`, copied aside before the next build) is started alone on
# BENCH_DB, signed in as the demo officer, and every PATH is measured with wrk at 16
# connections (5 s warm-up, BENCH_SECONDS measured, 15 by default). `DEPT` in a path stands for
# the id of the officer's department. For each, one line: requests/s, p50, p99, page bytes, and
# the CPU time per request of the server and of all PostgreSQL processes (from /proc, in ms).
# BENCH_POOL: the server's PostgreSQL connections (2 x cores by default, as bench/run.sh).
# Give the builds in alternation (A B A B) to see the machine's own noise.
#
# BENCH_DB: a database that `bash bench/run.sh --full` seeded and kept (BENCH_KEEP=1).
set -euo pipefail
db=${BENCH_DB:?set BENCH_DB to a seeded database (bench/run.sh with BENCH_KEEP=1)}
secs=${BENCH_SECONDS:-15}
pool=${BENCH_POOL:-$(( 2 * $(nproc) ))} # as bench/run.sh
bins=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do bins+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#bins[@]} -gt 0 ] && [ $# -gt 0 ] || { sed -n 2,14p "$0"; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing (bash bench/run.sh installs it)" >&2; exit 1; }
work=$(mktemp -d)
spid=""
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ticks() { # pid…: their CPU time (user + system), in clock ticks
  local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done
  echo "$t"
}
hz=$(getconf CLK_TCK)
dept=$(psql "$db" -qtAc "SELECT id FROM department WHERE code = 'botanica'")
for spec in "${bins[@]}"; do
  bin=${spec%%:*}; label=${spec#*:}; [ "$label" = "$spec" ] && label=$(basename "$bin")
  port=$(free_port); base="http://127.0.0.1:$port"
  env -i PATH="$PATH" HOME="$HOME" DATABASE_URL="$db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT="$PWD/target/site" PETITIO_SMTP_URL="smtp://127.0.0.1:1" \
    PETITIO_ATTACHMENTS_DIR="$work/attachments" PETITIO_MAIL_DIR="$work/mail" PETITIO_DEMO=0 \
    PETITIO_LOG=warn PETITIO_DB_POOL_SIZE="$pool" PETITIO_RATE_LIMITS="login=1000000/60" \
    "$bin" serve >"$work/server.log" 2>&1 &
  spid=$!
  for _ in $(seq 300); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.1; done
  token=$(curl -fsS -H 'Content-Type: application/json' -H "Origin: $base" \
    -d '{"email":"officer@demo.petitio","password":"demo-password-1"}' "$base/api/v1/auth/login" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
  for path in "$@"; do
    url="$base${path//DEPT/$dept}"
    bytes=$(curl -fsS -H "Authorization: Bearer $token" "$url" | wc -c)
    wrk -t2 -c16 -d5s -H "Authorization: Bearer $token" "$url" >/dev/null
    pgs=$(pgrep -x postgres | tr '\n' ' ')
    s0=$(ticks "$spid"); p0=$(ticks $pgs)
    out=$(wrk -t2 -c16 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$url")
    s1=$(ticks "$spid"); p1=$(ticks $pgs)
    echo "$out" | awk -v label="$label" -v path="$path" -v bytes="$bytes" -v s=$(( s1 - s0 )) \
      -v p=$(( p1 - p0 )) -v hz="$hz" '
      /requests in/ { n = $1 } /Requests\/sec/ { rps = $2 }
      $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
      END { printf "%s %s: %s req/s, p50 %s, p99 %s, %s bytes, CPU per request: server %.3f ms, PostgreSQL %.3f ms\n",
                    label, path, rps, p50, p99, bytes, s * 1000 / hz / n, p * 1000 / hz / n }'
  done
  kill "$spid"; wait "$spid" 2>/dev/null || true; spid=""
done
