#!/usr/bin/env python3
"""Per-token and per-stream cost of monitoring, from a JMH JSON result of StreamingOperatorBenchmark.

Each monitored benchmark is paired with its plain twin of the same run (chunksWithUsageMonitored with
chunksWithUsagePlain, ...). With the overhead d(n) = monitored(n) - plain(n) of a stream of n tokens,
for the smallest and largest token counts a < b of the run:

    per token  = (d(b) - d(a)) / (b - a)          time and bytes (gc.alloc.rate.norm, needs -prof gc)
    per stream = d(a) - a * per token             the fixed cost of one monitored stream

    java -jar benchmarks/target/benchmarks.jar StreamingOperatorBenchmark -prof gc -rf json -rff stream.json
    python3 benchmarks/stream-costs.py stream.json

Targets of issue 14 (streams that run: chunks carrying usage, as providers send them): at most
50 ns and 0 B per token, 15 us and 10 KB per stream. No target for stringTokens: its text is kept
and counted with the tokenizer, which is the price of a provider that reports no usage.
"""

import json
import sys

TARGETS = {"ns_per_token": 50, "bytes_per_token": 0.5, "us_per_stream": 15, "bytes_per_stream": 10_000}


def figures(results):
    """{(benchmark, tokens): (us per stream, bytes per stream or None)}"""
    out = {}
    for result in results:
        name = result["benchmark"].rsplit(".", 1)[1]
        tokens = int(result["params"]["tokens"])
        unit = result["primaryMetric"]["scoreUnit"]
        score = result["primaryMetric"]["score"]
        score_us = score / 1000 if unit.startswith("ns") else score
        alloc = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        out[(name, tokens)] = (score_us, alloc["score"] if alloc else None)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as source:
        data = figures(json.load(source))
    rows = []
    for name, _ in sorted(data):
        if not name.endswith("Monitored"):
            continue
        plain = name[: -len("Monitored")] + "Plain"
        counts = sorted(t for (n, t) in data if n == name and (plain, t) in data)
        if len(counts) < 2 or name in (r[0] for r in rows):
            continue
        a, b = counts[0], counts[-1]

        def overhead(tokens, index):
            monitored, base = data[(name, tokens)][index], data[(plain, tokens)][index]
            return None if monitored is None or base is None else monitored - base

        ns_token = (overhead(b, 0) - overhead(a, 0)) / (b - a) * 1000
        us_stream = overhead(a, 0) - a * ns_token / 1000
        bytes_token = bytes_stream = None
        if overhead(a, 1) is not None:
            bytes_token = (overhead(b, 1) - overhead(a, 1)) / (b - a)
            bytes_stream = overhead(a, 1) - a * bytes_token
        rows.append((name, a, b, ns_token, bytes_token, us_stream, bytes_stream))
    if not rows:
        sys.exit("no monitored/plain pair with two token counts in " + sys.argv[1])
    print("| benchmark | tokens | ns/token | B/token | µs/stream | B/stream |")
    print("|---|---|---:|---:|---:|---:|")
    for name, a, b, ns_token, bytes_token, us_stream, bytes_stream in rows:
        b_token = "n/a" if bytes_token is None else f"{bytes_token:.2f}"
        b_stream = "n/a" if bytes_stream is None else f"{bytes_stream:,.0f}"
        print(f"| {name} | {a} → {b} | {ns_token:.1f} | {b_token} | {us_stream:.2f} | {b_stream} |")
    print()
    for name, a, b, ns_token, bytes_token, us_stream, bytes_stream in rows:
        if not name.startswith("chunksWithUsage"):
            continue
        checks = [("ns/token", ns_token, TARGETS["ns_per_token"]), ("µs/stream", us_stream, TARGETS["us_per_stream"])]
        if bytes_token is not None:
            checks += [("B/token", bytes_token, TARGETS["bytes_per_token"]),
                       ("B/stream", bytes_stream, TARGETS["bytes_per_stream"])]
        for label, value, target in checks:
            print(f"{name} {label}: {value:,.2f} (target at most {target:,}) {'met' if value <= target else 'NOT met'}")


if __name__ == "__main__":
    main()
