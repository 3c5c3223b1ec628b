#!/usr/bin/env python3
"""Measures the citizen portal against a running release server (see citizen-portal.sh):

* the filing page's transferred size: the HTML of /depune, its stylesheet, the JS and the
  WASM of the hydration bundle, each fetched with `Accept-Encoding: gzip` as a browser does;
* the time from submitting the filing form (a plain multipart POST, as without JavaScript) to
  the receipt page fully received (the redirect followed), over N filings; median, p90, max.

Standard library only. Prints one JSON object.
"""

import argparse
import gzip
import http.client
import json
import re
import statistics
import time
import urllib.parse


def request(base, method, path, body=None, headers=None):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    res = conn.getresponse()
    data = res.read()
    conn.close()
    return res, data


def transferred(base, path, cookie=None, accept="gzip"):
    """Bytes on the wire for `path` with `accept` encodings (the body as sent, compressed)."""
    headers = {"Accept-Encoding": accept, "Accept": "*/*"}
    if cookie:
        headers["Cookie"] = cookie
    res, data = request(base, "GET", path, headers=headers)
    assert res.status == 200, (path, res.status)
    encoding = res.getheader("Content-Encoding") or "identity"
    raw = gzip.decompress(data) if encoding == "gzip" else data
    item = {"path": path, "bytes": len(data), "uncompressed": len(raw), "encoding": encoding}
    if accept == "gzip":
        # What a browser over HTTPS gets: it also accepts Brotli.
        res, data = request(base, "GET", path, headers={**headers, "Accept-Encoding": "br, gzip"})
        item["bytes_br"] = len(data)
        item["encoding_br"] = res.getheader("Content-Encoding") or "identity"
    return item, raw


def login(base, email, password):
    body = json.dumps({"email": email, "password": password})
    res, data = request(
        base,
        "POST",
        "/api/v1/auth/login",
        body=body,
        headers={"Content-Type": "application/json", "Origin": base},
    )
    assert res.status == 200, data
    return "petitio_session=" + json.loads(data)["token"]


def multipart(fields):
    boundary = "----petitio-bench-boundary"
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def page_weight(base, cookie):
    html_item, html = transferred(base, "/depune", cookie)
    text = html.decode("utf-8", "replace")
    assets = set(re.findall(r'(?:href|src)="(/pkg/[^"?]+)', text))
    # The page preloads the WASM; should it not, the script imports it by its stem.
    if not any(a.endswith(".wasm") for a in assets):
        assets |= {a[: -len(".js")] + ".wasm" for a in assets if a.endswith(".js")}
    items = [html_item] + [transferred(base, a)[0] for a in sorted(assets)]
    return {"items": items, "total_bytes": sum(i["bytes"] for i in items),
            "total_bytes_br": sum(i["bytes_br"] for i in items),
            "total_uncompressed": sum(i["uncompressed"] for i in items)}


def submit_to_receipt(base, cookie, n):
    times = []
    for i in range(n):
        body, ctype = multipart([
            ("kind", "complaint"),
            ("department_id", ""),
            ("category_id", ""),
            ("service_id", ""),
            ("subject", f"Măsurare {i} {time.time_ns()}"),
            ("body", "Text de măsurare a timpului de la trimitere la confirmare, destul de lung."),
            ("consent_processing", "on"),
            ("confirm_repeat", "on"),
        ])
        headers = {
            "Content-Type": ctype,
            "Cookie": cookie,
            "Origin": base,
            "Referer": base + "/depune",
            "Accept": "text/html",
        }
        t0 = time.perf_counter()
        res, _ = request(base, "POST", "/api/file_case", body=body, headers=headers)
        location = res.getheader("Location") or ""
        assert res.status in (302, 303) and "?nou=1" in location, (res.status, location)
        res, page = request(base, "GET", location, headers={"Cookie": cookie, "Accept": "text/html"})
        elapsed = time.perf_counter() - t0
        assert res.status == 200 and b"CHI-" in page, res.status
        times.append(elapsed * 1000)
    times.sort()
    return {
        "filings": n,
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[int(0.9 * (n - 1))], 2),
        "max_ms": round(times[-1], 2),
        "min_ms": round(times[0], 2),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("-n", type=int, default=100)
    p.add_argument("--warmup", type=int, default=5)
    args = p.parse_args()
    cookie = login(args.base, "citizen@demo.petitio", "demo-password-1")
    weight = page_weight(args.base, cookie)
    submit_to_receipt(args.base, cookie, args.warmup)
    timing = submit_to_receipt(args.base, cookie, args.n)
    print(json.dumps({"page_weight": weight, "submit_to_receipt": timing}))


if __name__ == "__main__":
    main()
