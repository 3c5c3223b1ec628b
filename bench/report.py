#!/usr/bin/env python3
"""bench/run.sh's report: reads the run's records (one JSON line each) and writes OUT.md and
OUT.json with every scenario, the limits, the peer, the ratios and the issue's targets, each
met or missed by how much. In a smoke run (CI) it fails when a scenario saw an error or a
filing's rows do not match its answers, so the harness cannot rot unnoticed.

    python3 bench/report.py RESULTS.jsonl OUT
"""

import json
import sys

SCENARIOS = [
    ("file_api", "filing through the JSON API (`POST /api/v1/cases`)", "public_ticket_post"),
    ("file_form", "filing through the HTML form, no JS (`POST /api/file_case`, 303)", "public_ticket_post"),
    ("queue", "officer's queue page (`/birou?department_id=…`, HTML, 50 rows, term order)", "staff_queue_data"),
    ("search", "one search (`/birou?q=cantina+nr.+N`, folded, trigram index)", None),
    ("case_page", "staff case page (`/cazuri/{id}`)", "staff_ticket_detail"),
    ("dashboard", "manager's dashboard (`/birou/indicatori`, 12 weeks)", "staff_dashboard"),
    ("my_cases", "citizen's \"my cases\" (`/cazurile-mele`)", None),
    ("sqlite_file_api", "filing through the JSON API on SQLite", "public_ticket_post"),
    ("bare_axum", "limit: a bare axum handler (`GET /` → `ok`)", None),
]

PEER = [
    ("public_form_get", "public form page"),
    ("public_ticket_post", "ticket submission (public form, mail sent)"),
    ("staff_list_page", "ticket list page (shell)"),
    ("staff_list_data", "ticket list rows (JSON)"),
    ("staff_queue_page", "queue page (shell)"),
    ("staff_queue_data", "queue rows (JSON)"),
    ("staff_ticket_detail", "ticket page"),
    ("staff_dashboard", "dashboard"),
]


def main():
    records = {}
    for line in open(sys.argv[1]):
        r = json.loads(line)
        records[r["key"]] = r["value"]
    out = sys.argv[2]
    meta = records["meta"]
    md, problems = [], []
    w = md.append

    w(f"# Benchmark run {meta['date'][:10]}\n")
    w(f"Command: `bash bench/run.sh{' --peer' if meta['peer'] else ''}"
      f"{' --smoke' if meta['smoke'] else ''} --cases {meta['cases']}` at commit `{meta['commit']}`, "
      f"{meta['profile']} build, PostgreSQL 15 on loopback, {meta['cores']} cores shared by the "
      f"server ({meta.get('pool', 20)} database connections), the database and wrk. Each scenario: wrk, {meta['concurrency']} connections, closed "
      f"loop, {meta['warmup_s']} s warm-up, then {meta['duration_s']} s measured. The whole run took "
      f"{meta['total_seconds']} s.\n")
    seed = records.get("seed")
    if seed:
        w(f"Seeded {seed['cases']:,} cases in {seed['seconds']:.1f} s "
          f"({seed['cases'] / max(seed['seconds'], 1e-9):,.0f} cases/s; one INSERT … generate_series "
          f"with every index, then VACUUM ANALYZE).\n")
    seed = records.get("seed_sqlite")
    if seed:
        w(f"SQLite: seeded the same {seed['cases']:,} cases in {seed['seconds']:.1f} s "
          f"({seed['cases'] / max(seed['seconds'], 1e-9):,.0f} cases/s; `bench/seed-sqlite.sql`, one "
          f"INSERT … generate_series in one transaction, then ANALYZE); the SQLite filing runs on them.\n")

    w("## Scenarios\n")
    w("| scenario | req/s | p50 | p99 | errors | server RSS peak | vs bare axum | vs peer |")
    w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    bare = records.get("bare_axum", {}).get("rps")
    summary = {}
    for key, label, peer_key in SCENARIOS:
        r = records.get(key)
        if not r:
            continue
        peer = records.get(f"peer_{peer_key}") if peer_key else None
        vs_bare = f"{r['rps'] / bare:.1%}" if bare and key != "bare_axum" else ""
        vs_peer = f"{r['rps'] / peer['rps']:.0f}× ({peer_key})" if peer and peer["rps"] else ""
        w(f"| {label} | {r['rps']:,.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['errors']} | "
          f"{r['rss_peak_kb'] / 1024:.0f} MB | {vs_bare} | {vs_peer} |")
        summary[key] = dict(r, vs_bare=(r["rps"] / bare if bare else None),
                            vs_peer=(r["rps"] / peer["rps"] if peer and peer["rps"] else None))
        if r["errors"]:
            problems.append(f"{key}: {r['errors']} errors")
        rows = records.get(f"{key}_rows")
        if rows:
            summary[key]["rows"] = rows
            # Every answer came after its commit: at least as many cases as wrk counted answers
            # (wrk leaves the requests in flight at its end unanswered, up to one per connection).
            if rows["cases"] < r["requests"] - r["errors"] or rows["receipts"] != rows["cases"]:
                problems.append(f"{key}: {r['requests']} answers but {rows['cases']} cases and "
                                f"{rows['receipts']} receipts")
    for key in ("file_api", "file_form", "sqlite_file_api"):
        rows = records.get(f"{key}_rows")
        if rows:
            w(f"\n`{key}`: {rows['cases']:,} cases and {rows['receipts']:,} receipt mails in the "
              f"outbox after the warm-up and the measured run; wrk saw {records[key]['requests']:,} "
              f"answers in the measured run alone.")

    w("\n## Limits, measured in the same run\n")
    pg = records.get("pgbench")
    if pg:
        w(f"- PostgreSQL alone, the filing's transaction shape (`bench/filing.pgbench`: counter, case, "
          f"history, two timers, outbox) by pgbench at {meta['concurrency']} clients: "
          f"**{pg['tps']:,.0f} transactions/s**, mean latency {pg['latency_avg_ms']:.1f} ms, "
          f"{pg['failed']} failed.")
    if bare:
        b = records["bare_axum"]
        w(f"- A bare axum handler under the same wrk load: **{b['rps']:,.0f} req/s**, p99 {b['p99_ms']:.2f} ms.")
    wasm = records.get("wasm")
    if wasm:
        w(f"- WASM: {wasm['raw'] / 1024:,.0f} KiB raw, **{wasm['gzip'] / 1024:,.0f} KiB gzip -9**.")
    st = records.get("start")
    if st:
        w(f"- Server start (migrated database, `petitio serve` to `/healthz` answering): "
          f"**{st['seconds'] * 1000:,.0f} ms**; RSS idle {st['rss_idle_kb'] / 1024:.0f} MB, "
          f"peak over the whole PostgreSQL run {records.get('rss_peak', {}).get('kb', 0) / 1024:.0f} MB.")
    stops = [v["seconds"] for k, v in sorted(records.items()) if k.startswith("stop_")]
    if stops:
        w(f"- Server stop (SIGTERM to exit, in-flight requests and workers finished): "
          f"{', '.join(f'{s} s' for s in stops)}.")
    tk = records.get("ticker")
    if tk:
        w(f"- Deadline ticker's claim query with 1,000,000 open cases (`cargo bench --bench workflow`): "
          f"nothing due {tk['nothing_due_us']} µs, 10,000 due {tk['due_10000_us']} µs.")
    for m in records.get("mail", []):
        w(f"- Mail sender to a local SMTP server (`cargo bench --bench mail`): {m['db']}, "
          f"{m['concurrency']} at once: {m['per_s']:,} mails/s.")

    peer_rows = [(k, label, records.get(f"peer_{k}")) for k, label in PEER]
    if any(r for _, _, r in peer_rows):
        w("\n## The peer: django-helpdesk 2.6.1, gunicorn, 2 sync workers, same PostgreSQL, "
          "100,000 tickets (../shared/bench-peer), same wrk load\n")
        w("| scenario | req/s | p50 | p99 | errors |\n| --- | ---: | ---: | ---: | ---: |")
        for k, label, r in peer_rows:
            if r:
                w(f"| {label} (`{k}`) | {r['rps']:,.1f} | {r['p50_ms']:,.0f} ms | {r['p99_ms']:,.0f} ms | {r['errors']} |")

    targets = []

    def target(name, value, goal, ok, unit=""):
        if value is None:
            return
        targets.append({"target": name, "value": value, "goal": goal, "met": ok})

    fa = summary.get("file_api")
    if fa and pg:
        target("filing API ≥ 50% of pgbench's rate", round(fa["rps"] / pg["tps"], 3), 0.5,
               fa["rps"] / pg["tps"] >= 0.5)
    if fa and fa.get("vs_peer"):
        target("filing API ≥ 20× the peer's ticket submission", round(fa["vs_peer"], 1), 20, fa["vs_peer"] >= 20)
    q = summary.get("queue")
    if q:
        target(f"queue page p99 ≤ 25 ms at {meta['concurrency']} ({meta['cases']:,} cases)", q["p99_ms"], 25,
               q["p99_ms"] <= 25)
        if q.get("vs_peer"):
            target("queue page ≥ 20× the peer's ticket list", round(q["vs_peer"], 1), 20, q["vs_peer"] >= 20)
    d = summary.get("dashboard")
    if d:
        target(f"dashboard p99 ≤ 100 ms at {meta['concurrency']} ({meta['cases']:,} cases)", d["p99_ms"], 100,
               d["p99_ms"] <= 100)
    if tk and tk["nothing_due_us"] is not None:
        target("ticker sweep, nothing due, ≤ 50 ms", tk["nothing_due_us"] / 1000, 50, tk["nothing_due_us"] <= 50_000)
    mails = records.get("mail", [])
    if mails:
        best = max(m["per_s"] for m in mails if m["db"] == "PostgreSQL")
        target("mail sender ≥ 500 mails/s (PostgreSQL)", best, 500, best >= 500)
    if "rss_peak" in records:
        mb = records["rss_peak"]["kb"] / 1024
        target("server RSS ≤ 150 MB under load", round(mb, 1), 150, mb <= 150)
    if wasm:
        kb = wasm["gzip"] / 1024
        target("WASM ≤ 400 KB gzip", round(kb, 1), 400, kb <= 400)
    if targets:
        w("\n## Targets (issue 11)\n")
        w("| target | measured | goal | |\n| --- | ---: | ---: | --- |")
        for t in targets:
            miss = "" if t["met"] else f"missed by {abs(t['value'] - t['goal']) / t['goal']:.0%}"
            w(f"| {t['target']} | {t['value']:,} | {t['goal']:,} | {'met' if t['met'] else miss} |")

    with open(out + ".md", "w") as f:
        f.write("\n".join(md) + "\n")
    with open(out + ".json", "w") as f:
        json.dump({"meta": meta, "records": records, "scenarios": summary, "targets": targets}, f, indent=1)
    if meta["smoke"] and problems:
        print("bench smoke run failed:\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)


if __name__ == "__main__":
    main()
