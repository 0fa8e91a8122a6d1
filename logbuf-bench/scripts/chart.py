#!/usr/bin/env python3
"""Tables and charts for docs/BENCHMARKS.md from JMH's JSON output.

Standard library only. Usage (from the repository root):

    python3 logbuf-bench/scripts/chart.py logbuf-bench/results/*.json logbuf-bench/results/throughput/*.json \
        --svg docs/benchmarks-throughput.svg --latency-svg docs/benchmarks-latency.svg

Prints Markdown tables to stdout. Several JSON files may describe the same
benchmark (run-all.sh runs throughput in rounds of one fork): their forks are
pooled. A fork's score is the mean of its measurement iterations; a subject's
figure is the MEDIAN of its fork scores, shown with the min..max over forks.
Ratios are ratios of medians.
"""
import argparse
import json
import statistics
from collections import defaultdict

PEERS = ["agrona", "jctools", "abq"]
SUBJECT_ORDER = ["logbuf", "logbuf-claim", "agrona", "jctools", "abq", "channel", "channel-wake"]
COLOURS = {"logbuf": "#1b9e77", "logbuf-claim": "#66c2a5", "agrona": "#d95f02",
           "jctools": "#7570b3", "abq": "#999999", "channel": "#e7298a", "channel-wake": "#f4a3c8"}
# issue 4: the channel may cost at most this much more per record than the raw queue
CHANNEL_TARGET = 1.10


def load(paths):
    """(benchmark, mode, params tuple, metric) -> {"forks": [...], "unit": str, "pct": {...}}"""
    data = defaultdict(lambda: {"forks": [], "unit": "", "pct": {}})
    for path in paths:
        with open(path) as f:
            runs = json.load(f)
        for run in runs:
            bench = run["benchmark"].rsplit(".", 2)
            name = bench[-2] + "." + bench[-1]
            params = tuple(sorted((run.get("params") or {}).items()))
            metrics = {"score": run["primaryMetric"]}
            metrics.update(run.get("secondaryMetrics") or {})
            if "gc.alloc.rate.norm" in metrics:
                # a -prof gc run (other settings, profiled) counts for the allocation table only
                metrics = {"gc.alloc.rate.norm": metrics["gc.alloc.rate.norm"]}
            for metric, m in metrics.items():
                raw = m.get("rawData")
                hist = m.get("rawDataHistogram")
                if not raw and not hist:
                    continue
                entry = data[(name, run["mode"], params, metric)]
                entry["unit"] = m["scoreUnit"]
                if raw:
                    entry["forks"].extend(statistics.fmean(it) for it in raw if it)
                else:
                    # sample mode: per fork, [iteration][[value, count], ...]
                    for fork in hist:
                        pairs = sorted((v, c) for it in fork for v, c in it)
                        n = sum(c for _, c in pairs)
                        if not n:
                            continue
                        entry["forks"].append(sum(v * c for v, c in pairs) / n)
                        seen, p50 = 0, pairs[-1][0]
                        for v, c in pairs:
                            seen += c
                            if seen * 2 >= n:
                                p50 = v
                                break
                        entry.setdefault("p50forks", []).append(p50)
                if m.get("scorePercentiles"):
                    entry["pct"] = m["scorePercentiles"]
    return data


def summary(forks):
    return statistics.median(forks), min(forks), max(forks)


def fmt(v, digits=3):
    return f"{v:.{digits}g}" if abs(v) < 10 ** digits else f"{v:.0f}"


def throughput_tables(data):
    rows = []
    scenarios = []
    for (name, mode, params, metric), e in data.items():
        if not name.startswith("Throughput.") or metric != "bytes" or mode != "thrpt":
            continue
        p = dict(params)
        rec = data.get((name, mode, params, "records"))
        # the realistic consumer (reader=crc32c) is a scenario of its own: "spsc+crc32c"
        group = name.split(".")[1] + ("+crc32c" if p.get("reader") == "crc32c" else "")
        scenarios.append((group, p["size"], p["subject"], e["forks"], rec["forks"] if rec else []))
    if not scenarios:
        return [], {}
    medians = {}
    out = ["| scenario | size | subject | GB/s median [min..max] | Mrecords/s median | forks | logbuf ÷ subject |",
           "|---|---|---|---|---|---|---|"]
    order = {"spsc": 0, "mpsc1": 1, "mpsc2": 2, "spsc+crc32c": 3, "mpsc1+crc32c": 4}
    scenarios.sort(key=lambda s: (order.get(s[0], 9), s[1] != "random", SUBJECT_ORDER.index(s[2])
                                  if s[2] in SUBJECT_ORDER else 99))
    for group, size, subject, forks, recs in scenarios:
        medians[(group, size, subject)] = (summary([b / 1e9 for b in forks]), recs)
    for group, size, subject, forks, recs in scenarios:
        (med, lo, hi), _ = medians[(group, size, subject)]
        base = medians.get((group, size, "logbuf"))
        ratio = f"{base[0][0] / med:.2f}×" if base and subject != "logbuf" else "—"
        rmed = statistics.median(recs) / 1e6 if recs else float("nan")
        out.append(f"| {group} | {size} | {subject} | {med:.2f} [{lo:.2f}..{hi:.2f}] | {rmed:.2f} | {len(forks)} | {ratio} |")
    return out, medians


def time_tables(data):
    out = []
    single = {}
    for (name, mode, params, metric), e in data.items():
        if name.startswith("SingleThread.") and metric == "score":
            p = dict(params)
            single[(p["kind"], int(p["size"]), p["subject"], mode)] = e
    if single:
        out += ["", "| kind | size | subject | avg ns/op median [min..max] | sample p50 ns, median [min..max] over forks | p99 | p99.9 | forks | avg ÷ agrona's | p50 ÷ agrona's |",
                "|---|---|---|---|---|---|---|---|---|---|"]
        keys = sorted({k[:3] for k in single}, key=lambda k: (k[0] != "spsc", k[1], SUBJECT_ORDER.index(k[2])))
        for kind, size, subject in keys:
            avg = single.get((kind, size, subject, "avgt"))
            smp = single.get((kind, size, subject, "sample"))
            if not avg:
                continue
            med, lo, hi = summary(avg["forks"])
            ag = single.get((kind, size, "agrona", "avgt"))
            ratio = f"{med / statistics.median(ag['forks']):.2f}" if ag and subject != "agrona" else "—"
            pct = smp["pct"] if smp else {}
            p = [fmt(pct[k]) if k in pct else "—" for k in ("99.0", "99.9")]
            p50 = "—"
            p50ratio = "—"
            if smp and smp.get("p50forks"):
                m50, l50, h50 = summary(smp["p50forks"])
                p50 = f"{m50:.0f} [{l50:.0f}..{h50:.0f}]"
                ags = single.get((kind, size, "agrona", "sample"))
                if ags and ags.get("p50forks") and subject != "agrona":
                    p50ratio = f"{m50 / statistics.median(ags['p50forks']):.2f}"
            out.append(f"| {kind} | {size} | {subject} | {med:.1f} [{lo:.1f}..{hi:.1f}] | {p50} | {p[0]} | {p[1]} | {len(avg['forks'])} | {ratio} | {p50ratio} |")
    ping = {dict(params)["subject"]: e for (name, mode, params, metric), e in data.items()
            if name.startswith("PingPong.") and metric == "score" and mode == "sample"}
    if ping:
        out += ["", "| subject | mean ns median [min..max] | p50 ns | p99 ns | p99.9 ns | forks | p50 ÷ logbuf's |",
                "|---|---|---|---|---|---|---|"]
        base = ping.get("logbuf")
        for subject in sorted(ping, key=lambda s: SUBJECT_ORDER.index(s) if s in SUBJECT_ORDER else 99):
            e = ping[subject]
            med, lo, hi = summary(e["forks"])
            pct = e["pct"]
            ratio = f"{pct['50.0'] / base['pct']['50.0']:.2f}×" if base and subject != "logbuf" else "—"
            out.append(f"| {subject} | {med:.0f} [{lo:.0f}..{hi:.0f}] | {fmt(pct['50.0'])} | {fmt(pct['99.0'])} | {fmt(pct['99.9'])} | {len(e['forks'])} | {ratio} |")
    return out, single, ping


def channel_tables(data):
    """ChannelOverhead (channel ÷ queue, ratio of median fork scores) and ChannelWakeup (p50/p99)."""
    out = []
    over = {}
    for (name, mode, params, metric), e in data.items():
        if name.startswith("ChannelOverhead.") and metric == "score" and mode == "avgt":
            p = dict(params)
            over[(p["kind"], int(p["size"]), p["subject"])] = e["forks"]
    if over:
        out += ["", "| kind | size | queue (logbuf) ns/op median [min..max] | channel ns/op | channel-wake ns/op "
                    f"| channel ÷ queue | channel-wake ÷ queue | forks | ≤ {CHANNEL_TARGET:.2f}? |",
                "|---|---|---|---|---|---|---|---|---|"]

        def cell(forks):
            if not forks:
                return "—"
            med, lo, hi = summary(forks)
            return f"{med:.1f} [{lo:.1f}..{hi:.1f}]"

        for kind, size in sorted({k[:2] for k in over}, key=lambda k: (k[0] != "spsc", k[1])):
            base = over.get((kind, size, "logbuf"))
            ch = over.get((kind, size, "channel"))
            nw = over.get((kind, size, "channel-wake"))
            bm = statistics.median(base) if base else None
            r = statistics.median(ch) / bm if base and ch else None
            rn = statistics.median(nw) / bm if base and nw else None
            forks = "/".join(str(len(f)) for f in (base, ch, nw) if f)
            verdict = "—" if r is None else ("yes" if r <= CHANNEL_TARGET else "**no**")
            out.append(f"| {kind} | {size} | {cell(base)} | {cell(ch)} | {cell(nw)} | "
                       f"{f'{r:.2f}' if r is not None else '—'} | {f'{rn:.2f}' if rn is not None else '—'} | "
                       f"{forks} | {verdict} |")
    wake = {dict(params)["receiver"]: e for (name, mode, params, metric), e in data.items()
            if name.startswith("ChannelWakeup.") and metric == "score" and mode == "sample"}
    if wake:
        out += ["", "| receiver | p50 ns (pooled) | p50 ns, median [min..max] over forks | p99 ns | p99.9 ns | max ns "
                    "| mean ns median [min..max] | forks |",
                "|---|---|---|---|---|---|---|---|"]
        for receiver in sorted(wake, key=lambda r: (r != "parked", r)):
            e = wake[receiver]
            pct = e["pct"]
            med, lo, hi = summary(e["forks"])
            p50f = "—"
            if e.get("p50forks"):
                m50, l50, h50 = summary(e["p50forks"])
                p50f = f"{m50:.0f} [{l50:.0f}..{h50:.0f}]"
            p = [fmt(pct[k]) if k in pct else "—" for k in ("50.0", "99.0", "99.9", "100.0")]
            out.append(f"| {receiver} | {p[0]} | {p50f} | {p[1]} | {p[2]} | {p[3]} | {med:.0f} [{lo:.0f}..{hi:.0f}] "
                       f"| {len(e['forks'])} |")
    return out


def targets_table(medians, single, data):
    """Issue 13's targets, each with its figures and a verdict computed from the medians."""
    rows = []

    def ratio(group, size):
        a, b = medians.get((group, size, "logbuf")), medians.get((group, size, "agrona"))
        if not a or not b:
            return None, ""
        (am, alo, ahi), _ = a
        (bm, blo, bhi), _ = b
        overlap = " (ranges overlap)" if alo <= bhi and blo <= ahi else ""
        return am / bm, f"{am:.2f} vs {bm:.2f} GB/s{overlap}"

    def add(target, value, figures, met):
        verdict = "—" if value is None else ("met" if met(value) else "**missed**")
        shown = "no data" if value is None else f"{value:.2f}×"
        rows.append(f"| {target} | {shown} | {figures} | {verdict} |")

    for group, label in (("spsc", "SPSC"), ("mpsc1", "MPSC, 1 producer")):
        for size in ("random", "64"):
            r, f = ratio(group, size)
            add(f"{label}, {size}{' B' if size == '64' else ''}: ≥ 1.2× Agrona", r, f, lambda v: v >= 1.2)
    for size in ("random", "64"):
        r, f = ratio("mpsc2", size)
        add(f"MPSC, 2 producers, {size}{' B' if size == '64' else ''}: ≥ 1.0× Agrona", r, f, lambda v: v >= 1.0)
    for group, label in (("spsc+crc32c", "SPSC"), ("mpsc1+crc32c", "MPSC, 1 producer")):
        for size in ("random", "64"):
            r, f = ratio(group, size)
            add(f"CRC32C consumer, {label}, {size}{' B' if size == '64' else ''}: ≥ 1.1× Agrona", r, f,
                lambda v: v >= 1.1)
    for kind in ("spsc", "mpsc"):
        for size in (8, 64, 256, 1024):
            a, b = single.get((kind, size, "logbuf", "avgt")), single.get((kind, size, "agrona", "avgt"))
            if not a or not b:
                continue
            am, bm = statistics.median(a["forks"]), statistics.median(b["forks"])
            add(f"single thread, {kind.upper()} {size} B: ≤ 0.9× Agrona's time", am / bm,
                f"{am:.1f} vs {bm:.1f} ns/op", lambda v: v <= 0.9)
    over = {}
    for (name, mode, params, metric), e in data.items():
        if name.startswith("ChannelOverhead.") and metric == "score" and mode == "avgt":
            p = dict(params)
            over[(p["kind"], int(p["size"]), p["subject"])] = statistics.median(e["forks"])
    for kind, size in sorted({k[:2] for k in over}, key=lambda k: (k[0] != "spsc", k[1])):
        q, c = over.get((kind, size, "logbuf")), over.get((kind, size, "channel"))
        if q and c:
            add(f"channel ≤ {CHANNEL_TARGET:.2f}× the queue per record, {kind.upper()} {size} B", c / q,
                f"{c:.1f} vs {q:.1f} ns/op", lambda v: v <= CHANNEL_TARGET)
    # ChannelWakeup's parked receiver makes so few operations that JMH's own per-iteration
    # allocation shows per operation (see docs/BENCHMARKS.md); one real allocation is >= 16 B/op
    allocs = [statistics.median(e["forks"]) for (name, mode, params, metric), e in data.items()
              if metric == "gc.alloc.rate.norm" and not name.startswith("ChannelWakeup.")
              and dict(params).get("subject", "").startswith(("logbuf", "channel"))]
    if allocs:
        worst = max(allocs)
        rows.append(f"| zero allocation on every logbuf and channel hot path (ChannelWakeup aside) | — | "
                    f"at most {worst:.3g} B/op over {len(allocs)} runs | {'met' if worst < 0.1 else '**missed**'} |")
    if not rows:
        return []
    return ["", "| target | ratio of medians | figures | verdict |", "|---|---|---|---|"] + rows


def gc_table(data):
    rows = []
    for (name, mode, params, metric), e in data.items():
        if metric == "gc.alloc.rate.norm":
            p = dict(params)
            label = ", ".join(f"{k}={v}" for k, v in sorted(p.items()))
            rows.append((name, label, statistics.median(e["forks"]), e["unit"]))
    if not rows:
        return []
    out = ["", "| benchmark | params | gc.alloc.rate.norm |", "|---|---|---|"]
    for name, label, v, unit in sorted(rows):
        out.append(f"| {name} | {label} | {v:.3g} {unit} |")
    return out


# ------------------------------------------------------------------ SVG
def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bar_panel(title, groups, unit, x0, y0, width, label_w=150):
    """groups: [(label, [(subject, med, lo, hi)])] -> (svg parts, height). Horizontal bars, min..max whiskers."""
    parts = [f'<text x="{x0}" y="{y0 + 16}" font-size="15" font-weight="bold">{esc(title)}</text>']
    top = max((hi for _, bars in groups for _, _, _, hi in bars), default=1) * 1.05
    bar_h, gap = 13, 10
    y = y0 + 30
    plot_w = width - label_w - 70
    for label, bars in groups:
        parts.append(f'<text x="{x0}" y="{y + 10}" font-size="12" font-weight="bold">{esc(label)}</text>')
        y += 16
        for subject, med, lo, hi in bars:
            w = plot_w * med / top
            c = COLOURS.get(subject, "#444")
            bx = x0 + label_w
            parts.append(f'<text x="{bx - 6}" y="{y + 10}" font-size="11" text-anchor="end">{esc(subject)}</text>')
            parts.append(f'<rect x="{bx}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{c}"/>')
            lx, hx = bx + plot_w * lo / top, bx + plot_w * hi / top
            my = y + bar_h / 2
            parts.append(f'<line x1="{lx:.1f}" y1="{my}" x2="{hx:.1f}" y2="{my}" stroke="#000" stroke-width="1"/>')
            parts.append(f'<line x1="{lx:.1f}" y1="{y + 2}" x2="{lx:.1f}" y2="{y + bar_h - 2}" stroke="#000"/>')
            parts.append(f'<line x1="{hx:.1f}" y1="{y + 2}" x2="{hx:.1f}" y2="{y + bar_h - 2}" stroke="#000"/>')
            parts.append(f'<text x="{max(hx, bx + w) + 4:.1f}" y="{y + 10}" font-size="11">{fmt(med)} {esc(unit)}</text>')
            y += bar_h + 3
        y += gap
    return parts, y - y0


def svg_doc(parts, width, height, note):
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" '
            f'font-family="sans-serif"><rect width="100%" height="100%" fill="#fff"/>')
    foot = f'<text x="10" y="{height + 20}" font-size="10" fill="#555">{esc(note)}</text></svg>\n'
    return head + "".join(parts) + foot


NOTE = "bar: median of per-fork scores; whisker: min..max over forks. Generated by logbuf-bench/scripts/chart.py from JMH JSON."


def throughput_svg(medians, path):
    groups = []
    names = {"spsc": "SPSC", "mpsc1": "MPSC, 1 producer", "mpsc2": "MPSC, 2 producers",
             "spsc+crc32c": "SPSC, CRC32C consumer", "mpsc1+crc32c": "MPSC 1 producer, CRC32C consumer"}
    for group in names:
        for size in ("random", "64"):
            bars = [(s, *medians[(group, size, s)][0]) for s in SUBJECT_ORDER if (group, size, s) in medians]
            if bars:
                groups.append((f"{names[group]}, {'8..1024 B random' if size == 'random' else size + ' B'}", bars))
    parts, h = bar_panel("Cross-thread throughput (payload GB/s, higher is better)", groups, "GB/s", 10, 5, 760)
    with open(path, "w") as f:
        f.write(svg_doc(parts, 780, h + 10, NOTE))


def latency_svg(single, ping, path):
    groups = []
    for kind in ("spsc", "mpsc"):
        for size in (8, 64, 256, 1024):
            bars = []
            for s in SUBJECT_ORDER:
                e = single.get((kind, size, s, "avgt"))
                if e:
                    bars.append((s, *summary(e["forks"])))
            if bars:
                groups.append((f"{kind.upper()} {size} B", bars))
    parts, h = bar_panel("Single thread: claim, copy, commit, read, release (ns/op, lower is better)",
                         groups, "ns", 10, 5, 760)
    pgroups = [("64 B round trip, mean ns", [(s, *summary(ping[s]["forks"]))
                                             for s in SUBJECT_ORDER if s in ping])] if ping else []
    p2, h2 = bar_panel("Ping-pong between two threads (ns, lower is better)", pgroups, "ns", 10, 5 + h + 10, 760)
    with open(path, "w") as f:
        f.write(svg_doc(parts + p2, 780, h + h2 + 20, NOTE))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json", nargs="+", help="JMH -rf json result files")
    ap.add_argument("--svg", help="write the throughput chart here")
    ap.add_argument("--latency-svg", help="write the single-thread and ping-pong chart here")
    args = ap.parse_args()
    data = load(args.json)
    lines, medians = throughput_tables(data)
    tlines, single, ping = time_tables(data)
    print("\n".join(lines + tlines + channel_tables(data) + gc_table(data) + targets_table(medians, single, data)))
    if args.svg and medians:
        throughput_svg(medians, args.svg)
    if args.latency_svg and (single or ping):
        latency_svg(single, ping, args.latency_svg)


if __name__ == "__main__":
    main()
