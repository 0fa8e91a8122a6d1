#!/usr/bin/env python3
"""Summarises a compare-builds.sh run: per benchmark and parameters, the
median over rounds for each build, the after/before ratio of medians, and
logbuf's ratio to Agrona within each build.

Usage: compare-builds.py OUT_DIR
"""
import glob
import json
import os
import re
import statistics
import sys
from collections import defaultdict


def main(out):
    # (kind, params-without-subject, subject) -> build -> [scores]
    scores = defaultdict(lambda: defaultdict(list))
    units = {}
    for path in sorted(glob.glob(os.path.join(out, "*.json"))):
        m = re.match(r"(single|throughput-\w+)-(before|after)-\d+\.json", os.path.basename(path))
        if not m:
            continue
        kind, build = m.group(1), m.group(2)
        for run in json.load(open(path)):
            params = dict(run.get("params") or {})
            subject = params.pop("subject")
            if kind == "single":
                score = run["primaryMetric"]["score"]
                unit = run["primaryMetric"]["scoreUnit"]
            else:
                metric = run["secondaryMetrics"]["bytes"]
                score, unit = metric["score"] / 1e9, "GB/s"
            key = (kind, tuple(sorted(params.items())), subject)
            scores[key][build].append(score)
            units[key] = unit
    print(f"{'benchmark':<16} {'params':<28} {'subject':<13} {'before (median, n)':>22} "
          f"{'after (median, n)':>22} {'after/before':>12}")
    medians = {}
    for key in sorted(scores):
        kind, params, subject = key
        row = scores[key]
        cells = []
        for build in ("before", "after"):
            values = row.get(build, [])
            med = statistics.median(values) if values else float("nan")
            medians[(kind, params, subject, build)] = med
            cells.append(f"{med:10.3f} {units[key]:<5} n={len(values)}" if values else "-")
        ratio = medians[(kind, params, subject, "after")] / medians[(kind, params, subject, "before")]
        label = ",".join(f"{k}={v}" for k, v in params)
        print(f"{kind:<16} {label:<28} {subject:<13} {cells[0]:>22} {cells[1]:>22} {ratio:12.3f}")
    print()
    print("logbuf / agrona within each build (ns/op: lower is better for logbuf below 1; GB/s: higher)")
    for (kind, params, subject, build), med in sorted(medians.items()):
        if subject == "agrona":
            continue
        peer = medians.get((kind, params, "agrona", build))
        if peer:
            label = ",".join(f"{k}={v}" for k, v in params)
            print(f"{kind:<16} {label:<28} {subject:<13} {build:<7} {med / peer:8.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
