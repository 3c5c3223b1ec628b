#!/usr/bin/env bash
# The citizen portal's measurements (issue 5), on the release build, SQLite then PostgreSQL:
# the filing page's transferred size (gzip) and the time from submitting the filing form to
# the receipt page, median over N filings (default 100) after a warm-up.
#   bash bench/citizen-portal.sh [N]
# Writes bench/results/citizen-portal-<date>.md (and .json) and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
export LEPTOS_OUTPUT_NAME=petitio
n=${1:-100}
root=$(pwd)
pg_admin=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}

# --precompress writes .br and .gz of the WASM, JS and CSS, served as they are.
cargo leptos build --release --precompress 2>&1 | tail -1

work=$(mktemp -d)
server_pid=""
pg_db="petitio_bench_$$"
cleanup() {
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

measure() { # name database-url
  local name=$1 url=$2 port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  env -i PATH="$PATH" HOME="$HOME" \
    DATABASE_URL="$url" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$root/target/site" \
    PETITIO_MAIL_DIR="$work/mail-$name" PETITIO_ATTACHMENTS_DIR="$work/att-$name" \
    PETITIO_DEMO=1 PETITIO_DEMO_CASES=0 PETITIO_LOG=warn PETITIO_RATE_LIMITS="filing=100000/3600" \
    "$root/target/release/petitio" serve >"$work/server-$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  python3 bench/citizen_portal.py --base "http://127.0.0.1:$port" -n "$n" >"$work/$name.json"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

measure sqlite "sqlite://$work/bench.db?mode=rwc"
psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
measure postgres "${pg_admin%/*}/$pg_db"

mkdir -p bench/results
out="bench/results/citizen-portal-$(date +%F)"
python3 - "$work/sqlite.json" "$work/postgres.json" "$n" >"$out.md" <<'PY'
import json, sys, platform, os
s, p = (json.load(open(f)) for f in sys.argv[1:3])
n = sys.argv[3]
w = s["page_weight"]
print(f"# Citizen portal measurements\n")
print(f"Command: `bash bench/citizen-portal.sh {n}` (release build, loopback, {os.cpu_count()} cores, {platform.machine()}).\n")
print("## The filing page, transferred with gzip\n")
print("| resource | gzip on the wire | Brotli on the wire (`br, gzip` accepted) | uncompressed |\n| --- | ---: | ---: | ---: |")
for i in w["items"]:
    print(f"| `{i['path']}` | {i['bytes']:,} B ({i['encoding']}) | {i['bytes_br']:,} B ({i['encoding_br']}) | {i['uncompressed']:,} B |")
print(f"| **total** | **{w['total_bytes']:,} B ({w['total_bytes']/1024:.0f} KiB)** | **{w['total_bytes_br']:,} B ({w['total_bytes_br']/1024:.0f} KiB)** | {w['total_uncompressed']:,} B |\n")
print("The HTML and CSS (a few KiB) render the page and the form works without JavaScript; the WASM loads as a module afterwards and only adds live behaviour.\n")
print(f"## Submitting the form to the receipt page ({n} filings, after 5 warm-up ones)\n")
print("| database | median | p90 | min | max |\n| --- | ---: | ---: | ---: | ---: |")
for name, r in (("SQLite", s), ("PostgreSQL", p)):
    t = r["submit_to_receipt"]
    print(f"| {name} | {t['median_ms']} ms | {t['p90_ms']} ms | {t['min_ms']} ms | {t['max_ms']} ms |")
PY
python3 -c "import json,sys; print(json.dumps({'sqlite': json.load(open(sys.argv[1])), 'postgres': json.load(open(sys.argv[2]))}, indent=1))" "$work/sqlite.json" "$work/postgres.json" >"$out.json"
cat "$out.md"
