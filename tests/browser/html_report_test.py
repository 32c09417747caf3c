#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium renders `zhibiao report --format html` for 海丰县
2021年1-9月, and the test checks what it built (the DOM), what it asked the network for, and what it drew,
and that a town named <b>梅陇镇</b> stays text.

usage: html_report_test.py ZHIBIAO_CLI SOURCE_DIR WORK_DIR

Expected numbers come from scripts/reference_rollup.py (the independent roll-up) and targets.csv, not from
zhibiao. Exit 77 (CTest's SKIP_RETURN_CODE) only when Chromium is missing or cannot start.

Nothing external: the page is checked twice. Statically, it has no http(s) URL, no script, link, src, href,
url() or @import, so it can reference nothing. Dynamically, a copy without its Content-Security-Policy (which
would hide an attempt by blocking it) is opened with every request routed to a recording proxy on loopback;
a control page with one remote image proves the proxy sees what the browser fetches, and the report page
must send it nothing.
"""
import csv
import fractions
import html.parser
import http.server
import os
import re
import shutil
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
import zlib

SKIP = 77
COUNTY = "441521000000"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok: " + msg)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--no-pings",
                 "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                 "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                 "--disable-sync", "--disable-extensions", "--metrics-recording-only", "--mute-audio",
                 "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider"]


def run_browser(chromium, profile, args, timeout=120):
    cmd = [chromium] + BROWSER_FLAGS + ["--user-data-dir=" + profile] + args
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)


# ---- expected values, independently ----------------------------------------------------------------

def reference_values(src, work):
    ex = os.path.join(src, "examples", "county")
    out = os.path.join(work, "reference.csv")
    subprocess.run([sys.executable, os.path.join(src, "scripts", "reference_rollup.py"), "--regions", os.path.join(ex, "regions.csv"),
                    "--indicators", os.path.join(ex, "indicators.csv"), "--observations", os.path.join(ex, "observations.csv"),
                    "--out", out], check=True)
    ytd = {}
    with open(out, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["period"] == "2021-09":
                ytd[(row["region"], row["indicator"])] = row["ytd"]
    return ytd


def half_up_1(fr):
    """A fraction rounded half-up to 1 decimal, as text."""
    scaled = fr * 10
    q = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    q = q if scaled >= 0 else -q
    return "%s%d.%d" % ("-" if q < 0 else "", abs(q) // 10, abs(q) % 10)


# ---- the DOM ----------------------------------------------------------------------------------------

class Dom(html.parser.HTMLParser):
    """Start tags with their attributes and ancestry, and the text of the body."""

    def __init__(self):
        super().__init__()
        self.elements = []   # (tag, attrs, ancestors' tags with classes)
        self.stack = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a, list(self.stack)))
        if tag not in ("meta", "br", "img", "input", "link", "line", "circle", "rect", "path", "polyline"):
            self.stack.append((tag, a.get("class", ""), a.get("data-kind", "")))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), list(self.stack)))

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag, cls=None, kind=None):
        out = []
        for t, a, anc in self.elements:
            if t != tag or (cls and cls not in a.get("class", "").split()):
                continue
            if kind and not any(x[0] == "figure" and x[2] == kind for x in anc):
                continue
            out.append(a)
        return out


# ---- the network ------------------------------------------------------------------------------------

class Recorder(http.server.BaseHTTPRequestHandler):
    seen = []

    def record(self):
        Recorder.seen.append("%s %s" % (self.command, self.path))
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = do_PUT = do_OPTIONS = record

    def log_message(self, *args):
        pass


# Chromium's own services, which it calls with or without a page (seen loading about:blank): the component
# updater, network time and account sign-in. Exact host names, so a page asking for fonts.googleapis.com or
# any CDN is still caught.
BROWSER_SERVICES = {"update.googleapis.com", "clients2.google.com", "accounts.google.com", "redirector.gvt1.com",
                    "edgedl.me.gvt1.com", "clientservices.googleapis.com", "safebrowsingohttpgateway.googleapis.com",
                    "optimizationguide-pa.googleapis.com", "content-autofill.googleapis.com", "www.google.com"}


def request_host(request):
    target = request.split(" ", 1)[1]
    target = target.split("://", 1)[-1]
    return target.split("/", 1)[0].split(":", 1)[0].lower()


def requests_while_loading(chromium, profile, url):
    Recorder.seen = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Recorder)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run_browser(chromium, profile, ["--proxy-server=http://127.0.0.1:%d" % server.server_address[1],
                                        "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=3000", "--dump-dom", url])
    finally:
        server.shutdown()
        server.server_close()
    return [r for r in Recorder.seen if request_host(r) not in BROWSER_SERVICES]


# ---- the screenshot ---------------------------------------------------------------------------------

def png_pixels(path):
    """Width, height and the RGB(A) rows of an 8-bit truecolour PNG (zlib only; the five scanline filters)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                fail("unexpected PNG format (depth %d, colour type %d)" % (depth, colour))
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    cli, src, work = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    chromium = find_chromium()
    if not chromium:
        print("SKIP: Chromium not found (scripts/deps installs Debian's chromium and fonts-noto-cjk)")
        return SKIP
    profile = tempfile.mkdtemp(prefix="zhibiao-chromium-")
    try:
        probe = run_browser(chromium, profile, ["--dump-dom", "about:blank"], timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        print("SKIP: Chromium cannot start: %s" % e)
        return SKIP
    if probe.returncode != 0 or b"<html" not in probe.stdout:
        print("SKIP: Chromium cannot start (exit %d): %s" % (probe.returncode, probe.stderr.decode(errors="replace")[-400:]))
        return SKIP

    ex = os.path.join(src, "examples", "county")
    page = os.path.join(work, "haifeng-2021-09.html")
    subprocess.run([cli, "report", "--regions", os.path.join(ex, "regions.csv"), "--indicators", os.path.join(ex, "indicators.csv"),
                    "--observations", os.path.join(ex, "observations.csv"), "--scopes", os.path.join(ex, "scopes.csv"),
                    "--targets", os.path.join(ex, "targets.csv"), "--rules", os.path.join(ex, "rules.txt"),
                    "--template", os.path.join(ex, "report.tmpl"), "--region", COUNTY, "--period", "2021年1-9月",
                    "--format", "html", "--out", page, "--quiet"], check=True, stderr=subprocess.DEVNULL)
    with open(page, encoding="utf-8") as f:
        source = f.read()

    # What the page must say, from the independent roll-up.
    ref = reference_values(src, work)
    jobs = ref[(COUNTY, "urban_new_employment")]
    rate = ref[(COUNTY, "registered_urban_unemployment_rate")]
    with open(os.path.join(ex, "regions.csv"), encoding="utf-8") as f:
        towns = [r["code"] for r in csv.DictReader(f) if r["parent"] == COUNTY]
    with open(os.path.join(ex, "targets.csv"), encoding="utf-8") as f:
        goals = {r["region"]: r["value"] for r in csv.DictReader(f) if r["indicator"] == "urban_new_employment"}
    completion = {t: fractions.Fraction(int(ref[(t, "urban_new_employment")])) * 100 / int(goals[t]) for t in towns}
    best = max(completion.values())

    # Statically: nothing on the page can reference anything outside it.
    check(not re.search(r"https?://", source), "the page has no http(s) URL")
    check(not re.search(r"<script|<link|<iframe|<object|<embed|\ssrc=|\shref=|url\(|@import", source, re.I),
          "the page has no script, link, src, href, url() or @import")

    # The DOM Chromium built.
    out = run_browser(chromium, profile, ["--virtual-time-budget=3000", "--dump-dom", "file://" + page])
    check(out.returncode == 0, "Chromium renders the page (exit 0)")
    dom = Dom()
    dom.feed(out.stdout.decode("utf-8"))
    text = "".join(dom.text)
    sentence = "2021年1-9月，海丰县实现城镇新增就业%s人" % jobs
    check(sentence in text, "the report sentence '%s' is on the page" % sentence)
    check("城镇登记失业率%s%%" % rate in text, "the rate %s%% is on the page" % rate)
    tables = dom.find("table", "baobiao")
    check(len(tables) >= 1, "the 报表 table is there (%d tables)" % len(tables))
    check("全县合计" in text and "海丰县2021年1-9月就业工作主要指标完成情况表" in text, "the 报表 has its title and 全县合计 row")
    rows = [a for a in dom.find("tr") if a.get("class") == "child"]
    check(len(rows) >= len(towns), "the 报表 has a row per town (%d rows, %d towns)" % (len(rows), len(towns)))
    svgs = dom.find("svg")
    check(len(svgs) >= 3, "at least three charts (%d svg elements)" % len(svgs))
    check(len(dom.find("circle", "point", "progress")) == 9, "progress: a point for each of 1-9月")
    check(len(dom.find("polyline", "schedule", "progress")) == 1, "progress: the 序时进度 line")
    asof = dom.find("line", "asof", "progress")
    check(len(asof) == 1 and asof[0].get("data-month") == "9", "progress: the as-of month 9 marked")
    check(len(dom.find("line", "cap", "cap")) == 1 and len(dom.find("circle", "point", "cap")) == 9, "cap: the cap line and 9 months")
    bars = dom.find("rect", "bar", "peers")
    check(len(bars) == len(towns), "peers: a bar per town (%d)" % len(bars))
    firsts = sorted(b["data-region"] for b in bars if b.get("data-rank") == "1")
    expected_firsts = sorted(t for t in towns if completion[t] == best)
    check(firsts == expected_firsts, "peers: rank 1 is %s at %s%%" % (expected_firsts, half_up_1(best)))
    check(bars[0].get("data-value") == half_up_1(best), "peers: the first bar is the highest 完成率")
    check(all(len(s.get("viewbox", s.get("viewBox", ""))) > 0 for s in svgs), "every chart has a viewBox")
    check(len([t for t, a, anc in dom.elements if t == "title" and any(x[0] == "svg" for x in anc)]) >= 3,
          "charts carry accessible <title>s")

    # Escaping: a town named <b>梅陇镇</b> stays text in the browser, in the table and in the peers chart.
    regions = os.path.join(work, "regions-markup.csv")
    with open(os.path.join(ex, "regions.csv"), encoding="utf-8") as f:
        renamed = f.read().replace(",梅陇镇,", ",<b>梅陇镇</b>,")
    with open(regions, "w", encoding="utf-8") as f:
        f.write(renamed)
    markup_page = os.path.join(work, "markup.html")
    subprocess.run([cli, "report", "--regions", regions, "--indicators", os.path.join(ex, "indicators.csv"),
                    "--observations", os.path.join(ex, "observations.csv"), "--targets", os.path.join(ex, "targets.csv"),
                    "--scopes", os.path.join(ex, "scopes.csv"),
                    "--template", os.path.join(ex, "report.tmpl"), "--region", COUNTY, "--period", "2021年1-9月",
                    "--format", "html", "--out", markup_page, "--quiet"], check=True, stderr=subprocess.DEVNULL)
    out = run_browser(chromium, profile, ["--virtual-time-budget=3000", "--dump-dom", "file://" + markup_page])
    marked = Dom()
    marked.feed(out.stdout.decode("utf-8"))
    marked_text = "".join(marked.text)
    check(not marked.find("b"), "a region named <b>…</b> makes no <b> element")
    check(marked_text.count("<b>梅陇镇</b>") >= 2, "the name <b>梅陇镇</b> is shown as text (%d times)" % marked_text.count("<b>梅陇镇</b>"))

    # The network: the control page is seen by the proxy, the report page sends it nothing.
    control = os.path.join(work, "control.html")
    with open(control, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html><body><img src="http://zhibiao-canary.invalid/x.png"></body></html>\n')
    seen = requests_while_loading(chromium, profile, "file://" + control)
    check(any("zhibiao-canary.invalid" in r for r in seen), "the recording proxy sees a remote image (%d requests)" % len(seen))
    open_copy = os.path.join(work, "haifeng-2021-09-no-csp.html")
    with open(open_copy, "w", encoding="utf-8") as f:
        f.write(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", source))
    seen = requests_while_loading(chromium, profile, "file://" + open_copy)
    check(not seen, "the report page requests nothing from the network (%s)" % seen)

    # The screenshot: not blank, and the charts' colours are drawn.
    shot = os.path.join(work, "haifeng-2021-09.png")
    run_browser(chromium, profile, ["--window-size=1100,1600", "--virtual-time-budget=3000", "--screenshot=" + shot,
                                    "file://" + page])
    check(os.path.isfile(shot), "Chromium wrote a screenshot")
    width, height, bpp, rows = png_pixels(shot)
    colours, ink = set(), 0
    for row in rows[::2]:
        for i in range(0, len(row), bpp * 2):
            px = row[i:i + 3]
            colours.add(px)
            if px != b"\xff\xff\xff":
                ink += 1
    sampled = (height // 2 + height % 2) * ((width + 1) // 2)
    check(len(colours) > 16, "the screenshot has many colours (%d)" % len(colours))
    check(ink * 100 > sampled, "more than 1%% of the screenshot is not white (%.1f%%)" % (100.0 * ink / sampled))
    print("PASS (page %s, screenshot %s)" % (page, shot))
    shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
