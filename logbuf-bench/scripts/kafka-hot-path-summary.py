#!/usr/bin/env python3
"""Sums up kafka-hot-path.sh's RESULT lines: per (size, rate, subject), the
median and min..max over rounds of each figure, and the ratios the issue's
targets are about (send p99 / logbuf p99 of the hot thread's service time;
logbuf's acknowledged records/s over the direct client's at saturation).

    logbuf-bench/scripts/kafka-hot-path-summary.py /tmp/kafka-hot-path.txt
"""
import re
import statistics
import sys
from collections import defaultdict

FIELDS = ["sent/s", "acked/s", "MB/s", "B/op", "jvmB/op", "full"]
HIST = ["p50", "p99", "p99.9", "max"]


def parse(line):
    m = re.search(r"subject=(\S+) size=(\d+) rate=(\S+)", line)
    if not m or "FAILED" in line:
        return None
    subject = m.group(1)
    b = re.search(r" batch=(\d+)", line)
    if b and b.group(1) != "8192" and subject != "send":
        subject += "(batch=" + b.group(1) + ")"
    row = {"key": (int(m.group(2)), m.group(3), subject)}
    for f in FIELDS:
        v = re.search(r" " + re.escape(f) + r"=([\d.]+)", line)
        row[f] = float(v.group(1)) if v else None
    for h in ("svc_ns", "resp_ns"):
        v = re.search(h + r"\[([^\]]*)\]", line)
        if v:
            for part in v.group(1).split():
                k, x = part.split("=")
                row[h + " " + k] = float(x)
    row["ok"] = "acked_all=true" in line and "error=" not in line
    return row


def fmt(values, unit=""):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    med = statistics.median(values)

    def f(x):
        if unit == "us":
            x = x / 1000.0
            return f"{x:,.2f}" if x < 10 else f"{x:,.0f}"
        if unit == "int":
            return f"{x:,.0f}"
        return f"{x:,.2f}"
    return f"{f(med)} ({f(min(values))}..{f(max(values))})"


def main(path):
    rows = defaultdict(list)
    failed = 0
    for line in open(path):
        r = parse(line)
        if r is None:
            failed += "RESULT" in line
            continue
        rows[r["key"]].append(r)
    print(f"failed runs: {failed}")
    print("| size | rate | subject | rounds | hot p50 µs | hot p99 µs | hot p99.9 µs | hot max µs | B/op | JVM B/op | acked rec/s | MB/s | ring full (yields) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key in sorted(rows):
        rs = rows[key]
        print(f"| {key[0]} | {key[1]} | {key[2]} | {len(rs)}{'' if all(r['ok'] for r in rs) else ' (not all acked)'} | "
              + " | ".join(fmt([r.get('svc_ns ' + h) for r in rs], "us") for h in HIST)
              + f" | {fmt([r['B/op'] for r in rs])} | {fmt([r['jvmB/op'] for r in rs], 'int')} | {fmt([r['acked/s'] for r in rs], 'int')} | {fmt([r['MB/s'] for r in rs])}"
              + f" | {fmt([r['full'] for r in rs], 'int')} |")
    print()
    print("response time from the intended start (fixed rate only):")
    print("| size | rate | subject | resp p50 µs | resp p99 µs | resp p99.9 µs | resp max µs |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(rows):
        rs = [r for r in rows[key] if 'resp_ns p50' in r]
        if rs:
            print(f"| {key[0]} | {key[1]} | {key[2]} | "
                  + " | ".join(fmt([r.get('resp_ns ' + h) for r in rs], "us") for h in HIST) + " |")
    print()
    print("ratios per round (same round, same size and rate):")
    by = defaultdict(dict)
    for key, rs in rows.items():
        for r in rs:
            by[(key[0], key[1])].setdefault(key[2], []).append(r)
    for (size, rate), subj in sorted(by.items()):
        if "send" not in subj:
            continue
        for s in subj:
            if s == "send":
                continue
            n = min(len(subj[s]), len(subj["send"]))
            p99 = [subj["send"][i]["svc_ns p99"] / max(subj[s][i]["svc_ns p99"], 1) for i in range(n)]
            tput = [subj[s][i]["acked/s"] / subj["send"][i]["acked/s"] for i in range(n) if subj["send"][i]["acked/s"]]
            print(f"size {size} rate {rate} {s}: send p99 / {s} p99 = {fmt(p99)}; {s} acked/s / send acked/s = {fmt(tput)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/kafka-hot-path.txt")
