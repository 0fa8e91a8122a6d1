#!/usr/bin/env python3
"""Summarises a latency.sh run (dev.logbuf.bench.SendLatency) as Markdown.

Reads every OUT/<config>/r<round>-<subject>.txt (the LATENCY lines of one
run, one per kind: service, and response when paced) and prints, per
configuration, one row per subject:

- service and response time: the median over rounds of each percentile
  (p50, p99, p99.9, p99.99, max), with [min..max] over rounds for p50 and
  p99.9;
- the sends that found the ring full (median over rounds, and the largest);
- bytes the producer threads allocated per record in the measured window
  (median over rounds);
- the largest share of the CPU other processes took during a run's
  measured window (0.5 on two cores: a whole core);
- the runs pooled.

Runs in which other processes took more than MAX_OTHER (default 0.10) of the
machine's CPU during the measured window are pooled in a second table of
their own, whether latency.sh set them aside (<run>.txt.disturbed-<n>) or
kept them (a last attempt); the first table and the ratios use the
undisturbed runs only, and the ratios of the disturbed ones follow their
table.

Then the ratios of medians, channel variants / logbuf queue and logbuf queue
/ agrona, at p50 and p99.9, and the targets of issue 23 (service time): each
channel variant within 1.2x of the queue at p50 and p99.9, the queue at or
below agrona.

Usage: latency-summary.py OUT [MAX_OTHER]   (OUT: logbuf-bench/results/latency)
"""
import glob
import os
import re
import statistics
import sys
from collections import defaultdict

ORDER = ["logbuf", "channel", "channel-wake", "channel-send", "agrona", "abq"]
PERCENTILES = ["p50", "p99", "p99.9", "p99.99", "max"]
CHANNELS = ["channel", "channel-wake", "channel-send"]
TARGET = 1.2


def parse(path):
    runs = []
    for line in open(path):
        if line.startswith("LATENCY "):
            runs.append(dict(field.split("=", 1) for field in line.split()[1:]))
    return runs


def config_key(config):
    producers, size, rate = config.split("-")
    rate_value = float("inf") if rate == "max" else float(rate.rstrip("Mk")) * (
        1e6 if rate.endswith("M") else 1e3 if rate.endswith("k") else 1)
    return (rate_value, int(producers), int(size))


def fmt(ns):
    if ns >= 10_000_000:
        return f"{ns / 1e6:.0f} ms"
    if ns >= 100_000:
        return f"{ns / 1e3:.0f} µs"
    if ns >= 10_000:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f}"


def median(values):
    return statistics.median(values) if values else float("nan")


def cell(rows, kind):
    """p50 [min..max] / p99 / p99.9 [min..max] / p99.99 / max, medians over rounds."""
    runs = [r for r in rows if r["kind"] == kind]
    if not runs:
        return "-"
    parts = []
    for p in PERCENTILES:
        values = [float(r[p]) for r in runs]
        text = fmt(median(values))
        if p in ("p50", "p99.9") and len(values) > 1:
            text += f" [{fmt(min(values))}..{fmt(max(values))}]"
        parts.append(text)
    return " / ".join(parts)


def ratio(a, b):
    return a / b if b else float("nan")


def table(runs, paced, disturbed_runs):
    """Prints one row per subject and returns the medians: (subject, kind, percentile) -> ns."""
    print("| subject | service p50 / p99 / p99.9 / p99.99 / max (ns) | response p50 / p99 / p99.9 / p99.99 / max "
          "| full-ring sends median (max) | alloc B/record | other CPU max | wake-ups/s median | runs |")
    print("|---|---|---|---|---|---|---|---|")
    subjects = [s for s in ORDER if s in runs] + sorted(s for s in runs if s not in ORDER)
    med = {}
    for s in subjects:
        rows = runs[s]
        service = [r for r in rows if r["kind"] == "service"]
        for kind in ("service", "response"):
            for p in PERCENTILES:
                values = [float(r[p]) for r in rows if r["kind"] == kind]
                if values:
                    med[(s, kind, p)] = median(values)
        full = [int(r["full"]) for r in service]
        alloc = [int(r["allocBytes"]) / max(1, int(r["count"])) for r in service]
        other = max(float(r["otherCpu"]) for r in service)
        wakeups = [int(r["wakeups"]) for r in service if "wakeups" in r]
        seconds = DURATION_S.get(id(service[0]), None)
        wake = f"{median(wakeups) / seconds:,.0f}" if wakeups and seconds else "-"
        print(f"| {s} | {cell(rows, 'service')} | {cell(rows, 'response') if paced else '-'} "
              f"| {median(full):.0f} ({max(full)}) | {median(alloc):.2f} | {other:.0%} | {wake} | {len(service)} |")
    print()
    return med


def ratios(med, paced):
    lines = []
    kinds = ("service", "response") if paced else ("service",)
    for kind in kinds:
        for p in ("p50", "p99.9"):
            q = med.get(("logbuf", kind, p))
            a = med.get(("agrona", kind, p))
            parts = []
            for c in CHANNELS:
                v = med.get((c, kind, p))
                if v is not None and q:
                    r = ratio(v, q)
                    verdict = ("yes" if r <= TARGET else "**no**") if kind == "service" else ""
                    parts.append(f"{c} ÷ logbuf {r:.2f}" + (f" (≤ {TARGET}? {verdict})" if verdict else ""))
            if q is not None and a:
                r = ratio(q, a)
                verdict = ("yes" if r <= 1.0 else "**no**") if kind == "service" else ""
                parts.append(f"logbuf ÷ agrona {r:.2f}" + (f" (≤ 1? {verdict})" if verdict else ""))
            if parts:
                lines.append(f"- {kind} {p}: " + "; ".join(parts))
    if lines:
        print("Ratios of medians (targets on the service time):")
        print()
        print("\n".join(lines))
        print()


DURATION_S = {}


def summarise(out, max_other):
    configs = sorted((d for d in os.listdir(out) if os.path.isdir(os.path.join(out, d))
                      and re.fullmatch(r"\d+-\d+-[\dkM.]+|\d+-\d+-max", d)), key=config_key)
    for config in configs:
        clean = defaultdict(list)  # subject -> LATENCY rows (both kinds, every run)
        loaded = defaultdict(list)
        paths = glob.glob(os.path.join(out, config, "r*-*.txt")) + glob.glob(
            os.path.join(out, config, "r*-*.txt.disturbed-*"))
        for path in sorted(paths):
            rows = parse(path)
            if not rows:
                continue
            seconds = duration_of(path)
            for row in rows:
                DURATION_S[id(row)] = seconds
            worst = max(float(r["otherCpu"]) for r in rows)
            for row in rows:
                (clean if worst <= max_other else loaded)[row["subject"]].append(row)
        if not clean and not loaded:
            continue
        producers, size, rate = config.split("-")
        paced = rate != "max"
        title = (f"{producers} producer{'s' if producers != '1' else ''}, {size} B, "
                 + (f"{rate} records/s offered" if paced else "saturation (no pacing, service time only)"))
        if clean:
            print(f"### {title}: undisturbed runs (other processes ≤ {max_other:.0%} of the CPU)")
            print()
            ratios(table(clean, paced, loaded), paced)
        if loaded:
            print(f"### {title}: disturbed runs (other processes > {max_other:.0%} of the CPU)")
            print()
            ratios(table(loaded, paced, None), paced)


def duration_of(path):
    """The measured window of a run, in seconds, from its hlog's comment (Config's durationNanos)."""
    hlog = path.replace(".txt", ".hlog")
    try:
        with open(hlog) as f:
            m = re.search(r"durationNanos=(\d+)", f.readline())
            return int(m.group(1)) / 1e9 if m else None
    except OSError:
        return None


if __name__ == "__main__":
    summarise(sys.argv[1] if len(sys.argv) > 1 else "logbuf-bench/results/latency",
              float(sys.argv[2]) if len(sys.argv) > 2 else 0.10)
