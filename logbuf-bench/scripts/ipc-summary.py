#!/usr/bin/env python3
"""Summarises an ipc.sh run as Markdown tables.

Throughput (results/ipc/throughput/<round>-<scenario>-<size>-<subject>.json):
per (scenario, size, subject) the median over runs of the run scores (a run's
score is the mean of its iterations, like a JMH fork's), the min..max over
runs, records per second, how often the producer found the ring full, the
1-minute load average before the runs (min..max), the largest share of the
machine's CPU that other processes took during a run, and logbuf / Agrona as a
ratio of medians (above 1: logbuf faster).

Wake-up (results/ipc/wakeup/<round>-<backoff>.json and .samples.gz): per
backoff, the percentiles of all rounds' samples pooled, the per-round p50 and
p99 as median [min..max], the consumer thread's and process's CPU time per
second of wall time, and polls per second.

Usage: ipc-summary.py OUT_DIR   (OUT_DIR: logbuf-bench/results/ipc)
"""
import glob
import gzip
import json
import math
import os
import statistics
import sys
from collections import defaultdict


def median_range(values, fmt):
    if not values:
        return "-"
    return f"{fmt(statistics.median(values))} [{fmt(min(values))}..{fmt(max(values))}]"


def other_cpu(runs):
    values = [r.get("otherCpuShare") for r in runs if r.get("otherCpuShare") is not None]
    return f"{max(values):.0%}" if values else "?"


def load1(run):
    try:
        return float(run["loadavgBefore"].split()[0])
    except (KeyError, ValueError, IndexError):
        return float("nan")


def throughput(out):
    runs = defaultdict(list)
    for path in sorted(glob.glob(os.path.join(out, "throughput", "*.json"))):
        run = json.load(open(path))
        runs[(run["scenario"], run["size"], run["subject"])].append(run)
    if not runs:
        return
    print("### Cross-process throughput (2 MiB ring in a mapped file; producer and consumer in two JVMs)")
    print()
    print("Payload bytes per second received and verified by the consumer. A run's score is the mean of its "
          "iterations; the table gives the median over runs with [min..max]. `logbuf ÷ agrona` is the ratio "
          "of medians (above 1: logbuf faster).")
    print()
    print("| scenario | size | subject | GB/s median [min..max] | Mrecords/s median | producer found full | runs "
          "| load1 before [min..max] | other CPU, max | logbuf ÷ agrona |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    medians = {}
    for key in sorted(runs):
        medians[key] = statistics.median(r["consumer"]["bytesPerSecond"] for r in runs[key])
    order = {"spsc": 0, "mpsc1": 1, "mpsc2": 2}
    for key in sorted(runs, key=lambda k: (order.get(k[0], 9), k[1] != "random", k[1], k[2] != "logbuf")):
        scenario, size, subject = key
        rs = runs[key]
        gbs = [r["consumer"]["bytesPerSecond"] / 1e9 for r in rs]
        mrs = statistics.median(r["consumer"]["recordsPerSecond"] / 1e6 for r in rs)
        full = statistics.median(statistics.mean(p["fullFraction"] for p in r["producers"]) for r in rs)
        loads = [load1(r) for r in rs]
        ratio = "—"
        if subject == "logbuf" and (scenario, size, "agrona") in medians:
            ratio = f"{medians[key] / medians[(scenario, size, 'agrona')]:.2f}×"
        print(f"| {scenario} | {size} | {subject} | {median_range(gbs, lambda v: f'{v:.2f}')} | {mrs:.2f} "
              f"| {full:.0%} | {len(rs)} | {median_range(loads, lambda v: f'{v:.2f}')} | {other_cpu(rs)} | {ratio} |")
    print()
    modes(runs, order)
    disturbed = glob.glob(os.path.join(out, "throughput", "*.json.disturbed-*"))
    if disturbed:
        print(f"Runs set aside because other processes took too much CPU (run again by ipc.sh): {len(disturbed)}.")
        print()
    print("Per-run scores, GB/s, in round order (other processes' share of the machine's CPU during the run):")
    print()
    for key in sorted(runs, key=lambda k: (order.get(k[0], 9), k[1] != "random", k[1], k[2] != "logbuf")):
        rs = sorted(runs[key], key=lambda r: int(r["round"]))
        print(f"- {key[0]} / {key[1]} / {key[2]}: "
              + ", ".join(f"{r['consumer']['bytesPerSecond'] / 1e9:.2f} ({other_cpu([r])})" for r in rs))
    print()


def two_modes(values):
    """Splits positive values into a low and a high group (2-means on their
    logarithms); returns (threshold, low, high), or None when the two centres
    are less than 1.5x apart (one mode)."""
    logs = sorted(math.log(v) for v in values if v > 0)
    if len(logs) < 4:
        return None
    lo, hi = logs[0], logs[-1]
    for _ in range(50):
        cut = (lo + hi) / 2
        low = [x for x in logs if x <= cut]
        high = [x for x in logs if x > cut]
        if not low or not high:
            return None
        lo, hi = statistics.mean(low), statistics.mean(high)
    if hi - lo < math.log(1.5):
        return None
    cut = math.exp((lo + hi) / 2)
    return cut, [v for v in values if v <= cut], [v for v in values if v > cut]


def modes(runs, order):
    """Throughput per mode: every 1 s iteration of both subjects of a
    (scenario, size), split into a low and a high mode."""
    groups = defaultdict(dict)
    for (scenario, size, subject), rs in runs.items():
        groups[(scenario, size)][subject] = [x / 1e9 for r in rs for x in r["consumer"]["iterationBytesPerSecond"]]
    print("Per mode: every 1 s iteration of both subjects of a row, split in two (2-means on the logarithm); "
          "`n` counts iterations; `full` is the producers' share of attempts that found the ring full, "
          "per run, for runs wholly in that mode.")
    print()
    print("| scenario | size | split at GB/s | subject | low mode: n, GB/s median [min..max] "
          "| high mode: n, GB/s median [min..max] | full, low-mode runs | full, high-mode runs | logbuf ÷ agrona, high mode |")
    print("|---|---|---|---|---|---|---|---|---|")
    for key in sorted(groups, key=lambda k: (order.get(k[0], 9), k[1] != "random", k[1])):
        pooled = [v for vs in groups[key].values() for v in vs]
        split = two_modes(pooled)
        if split is None:
            print(f"| {key[0]} | {key[1]} | one mode | | | | | | |")
            continue
        cut = split[0]
        highs = {}
        for subject in sorted(groups[key], key=lambda s: s != "logbuf"):
            vs = groups[key][subject]
            low = [v for v in vs if v <= cut]
            high = [v for v in vs if v > cut]
            highs[subject] = statistics.median(high) if high else None
            rs = runs[(key[0], key[1], subject)]
            full_low, full_high = [], []
            for r in rs:
                its = [x / 1e9 for x in r["consumer"]["iterationBytesPerSecond"]]
                full = statistics.mean(p["fullFraction"] for p in r["producers"])
                if all(v <= cut for v in its):
                    full_low.append(full)
                elif all(v > cut for v in its):
                    full_high.append(full)
            cell = lambda xs: f"{len(xs)}, {median_range(xs, lambda v: f'{v:.2f}')}" if xs else "0"
            pct = lambda xs: median_range(xs, lambda v: f"{v:.0%}") if xs else "-"
            ratio = ""
            if subject == "logbuf" and "agrona" in groups[key]:
                ah = [v for v in groups[key]["agrona"] if v > cut]
                if high and ah:
                    ratio = f"{statistics.median(high) / statistics.median(ah):.2f}×"
            print(f"| {key[0]} | {key[1]} | {cut:.2f} | {subject} | {cell(low)} | {cell(high)} "
                  f"| {pct(full_low)} | {pct(full_high)} | {ratio} |")
    print()


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    rank = math.ceil(p * len(sorted_values))
    return sorted_values[max(0, min(len(sorted_values), rank) - 1)]


def us(ns):
    return f"{ns / 1000:.1f}" if ns < 100_000 else f"{ns / 1000:.0f}"


def wakeup(out):
    runs = defaultdict(list)
    for path in sorted(glob.glob(os.path.join(out, "wakeup", "*.json"))):
        run = json.load(open(path))
        samples = []
        name = run.get("samplesFile")
        if name and os.path.exists(os.path.join(out, "wakeup", name)):
            with gzip.open(os.path.join(out, "wakeup", name), "rt") as f:
                samples = [int(line) for line in f if line.strip()]
        runs[run["backoff"]].append((run, samples))
    if not runs:
        return
    print("### Cross-process wake-up latency per backoff (64-byte records every 0.5..1.5 ms)")
    print()
    print("Latency from the producer's `System.nanoTime()` just before `commit()` to the consumer's "
          "`System.nanoTime()` in its handler, in µs. Percentiles pool every round's samples; "
          "`p50 per round` and `p99 per round` are median [min..max] over rounds. CPU is the consumer's, "
          "in ms per second of wall time (1000 = one core busy): its polling thread, and the whole JVM.")
    print()
    print("| backoff | samples | p50 | p90 | p99 | p99.9 | max | p50 per round | p99 per round "
          "| thread CPU ms/s | process CPU ms/s | polls/s | rounds | load1 before [min..max] | other CPU, max |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    wanted = ["spinning", "yielding", "parking-1us", "parking-50us", "parking-1ms", "progressive", "agrona-backoff"]
    names = [b for b in wanted if b in runs] + sorted(b for b in runs if b not in wanted)
    for backoff in names:
        rs = runs[backoff]
        pooled = sorted(s for _, samples in rs for s in samples)
        c = [r["consumer"] for r, _ in rs]
        if pooled:
            p = [percentile(pooled, q) for q in (0.5, 0.9, 0.99, 0.999)] + [pooled[-1]]
        else:  # no samples files: fall back on the per-round figures' medians
            p = [statistics.median(x[k] for x in c) for k in ("p50", "p90", "p99", "p999")] + [max(x["max"] for x in c)]
        loads = [load1(r) for r, _ in rs]
        print(f"| {backoff} | {sum(x['samples'] for x in c)} | " + " | ".join(us(v) for v in p)
              + f" | {median_range([x['p50'] for x in c], us)} | {median_range([x['p99'] for x in c], us)}"
              + f" | {median_range([x['threadCpuMsPerSecond'] for x in c], lambda v: f'{v:.0f}')}"
              + f" | {median_range([x['processCpuMsPerSecond'] for x in c], lambda v: f'{v:.0f}')}"
              + f" | {median_range([x['pollsPerSecond'] for x in c], lambda v: f'{v:,.0f}')}"
              + f" | {len(rs)} | {median_range(loads, lambda v: f'{v:.2f}')} | {other_cpu([r for r, _ in rs])} |")
    print()
    disturbed = glob.glob(os.path.join(out, "wakeup", "*.json.disturbed-*"))
    if disturbed:
        print(f"Runs set aside because other processes took too much CPU (run again by ipc.sh): {len(disturbed)}.")
        print()


def main(out):
    throughput(out)
    wakeup(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "logbuf-bench/results/ipc")
