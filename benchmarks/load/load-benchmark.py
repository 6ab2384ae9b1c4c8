#!/usr/bin/env python3
"""End-to-end load benchmark: the sample app monitored against unmonitored, under hey.

The sample runs with its built-in simulated model answering at once (50 tokens, 1 ms to the first
token, no errors, aborts, slow, truncated, refused or empty answers), the call log off and tracing on in both modes (the
HTTP server and WebClient observations exist either way). The only difference between the two
modes is --llm.monitor.enabled. Each pair of runs alternates the modes (the order flips from pair
to pair), the app is pinned to one CPU and hey to the other where taskset exists, and every run
has its own warm-up. It prints one row per path: median requests/s of each mode, their spread
(min-max) and the ratio of the medians.

    ./mvnw -B -pl sample-app -am package -DskipTests
    python3 benchmarks/load/load-benchmark.py                   # 3 pairs, 20 s runs, both paths
    python3 benchmarks/load/load-benchmark.py --pairs 1 --duration 3 --warmup 2   # smoke run

Needs hey (Debian package "hey") and a Java 17+ on the PATH.
"""

import argparse
import glob
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PATHS = {
    "blocking": ["-m", "POST", "-T", "application/json", "-d", '{"prompt":"Say hello to the benchmark"}', "/api/chat"],
    "stream": ["/api/chat/stream?prompt=Say%20hello%20to%20the%20benchmark"],
}

SAMPLE_FLAGS = [
    "--spring.profiles.active=",
    "--llm.monitor.call-log.enabled=false",
    "--sample.demo-traffic.enabled=false",
    "--sample.simulator.error-rate=0",
    "--sample.simulator.stream-abort-rate=0",
    "--sample.simulator.slow-rate=0",
    "--sample.simulator.truncation-rate=0",
    "--sample.simulator.refusal-rate=0",
    "--sample.simulator.empty-rate=0",
    "--sample.simulator.min-tokens=50",
    "--sample.simulator.max-tokens=50",
    "--sample.simulator.models[0].name=gpt-4o-sim",
    "--sample.simulator.models[0].time-to-first-token=1ms",
    "--sample.simulator.models[0].tokens-per-second=1000000",
    "--sample.llm.default-model=gpt-4o-sim",
    "--logging.level.root=WARN",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_jar(explicit):
    if explicit:
        return explicit
    jars = [j for j in glob.glob(os.path.join(ROOT, "sample-app/target/llm-monitor-sample-app-*.jar"))
            if not j.endswith("-plain.jar")]
    if not jars:
        sys.exit("no sample jar: run ./mvnw -B -pl sample-app -am package -DskipTests first")
    return jars[0]


def pinned(cpu, command):
    if cpu is not None and shutil.which("taskset"):
        return ["taskset", "-c", str(cpu)] + command
    return command


def start_sample(jar, monitored, cpu, java_opts, extra):
    port = free_port()
    command = pinned(cpu, ["java"] + java_opts + ["-jar", jar, f"--server.port={port}",
                                                   f"--llm.monitor.enabled={str(monitored).lower()}"]
                     + SAMPLE_FLAGS + extra)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 90
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit("the sample stopped at start:\n" + process.stderr.read()[-4000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/health", timeout=1) as response:
                if response.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.5)
    process.kill()
    sys.exit("the sample did not answer /actuator/health within 90 s")


def hey(port, path, seconds, concurrency, cpu):
    args = PATHS[path]
    command = pinned(cpu, ["hey", "-z", f"{seconds}s", "-c", str(concurrency)] + args[:-1]
                     + [f"http://127.0.0.1:{port}{args[-1]}"])
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    statuses = dict(re.findall(r"\[(\d{3})\]\s+(\d+) responses", output))
    bad = {code: count for code, count in statuses.items() if code != "200"}
    if bad or not statuses:
        sys.exit(f"hey got non-200 answers on {path}: {statuses}\n{output}")
    return rate


def run(args, jar, path, monitored):
    process, port = start_sample(jar, monitored, args.app_cpu, args.java_opts.split(), args.sample_arg)
    try:
        hey(port, path, args.warmup, args.concurrency, args.load_cpu)
        rate = hey(port, path, args.duration, args.concurrency, args.load_cpu)
        if monitored:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=5) as response:
                if b"llm_request_duration_seconds_count" not in response.read():
                    sys.exit("the monitored sample recorded no LLM call: the benchmark measures nothing")
        return rate
    finally:
        process.terminate()
        process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=3, help="alternated pairs of runs per path (default 3)")
    parser.add_argument("--duration", type=int, default=20, help="seconds measured per run (default 20)")
    parser.add_argument("--warmup", type=int, default=15, help="seconds of load before each measured run (default 15)")
    parser.add_argument("--concurrency", type=int, default=32, help="hey's concurrent clients (default 32)")
    parser.add_argument("--paths", default="blocking,stream", help="comma-separated: blocking, stream")
    parser.add_argument("--app-cpu", type=int, default=0, help="CPU the sample is pinned to (default 0)")
    parser.add_argument("--load-cpu", type=int, default=1, help="CPU hey is pinned to (default 1)")
    parser.add_argument("--java-opts", default="-Xms512m -Xmx512m", help="JVM options of the sample")
    parser.add_argument("--sample-arg", action="append", default=[], help="one more sample flag (repeatable)")
    parser.add_argument("--jar", help="the sample's jar (default: sample-app/target)")
    parser.add_argument("--json", help="also write the raw rates to this file")
    args = parser.parse_args()
    if not shutil.which("hey"):
        sys.exit("hey is missing: apt-get install -y hey")
    if (os.cpu_count() or 1) < 2:
        args.app_cpu = args.load_cpu = None
    jar = sample_jar(args.jar)
    results = {}
    for path in args.paths.split(","):
        rates = {True: [], False: []}
        for pair in range(args.pairs):
            order = (False, True) if pair % 2 == 0 else (True, False)
            for monitored in order:
                rate = run(args, jar, path, monitored)
                rates[monitored].append(rate)
                print(f"{path:8s} pair {pair + 1} {'monitored' if monitored else 'unmonitored':11s} {rate:9.1f} req/s",
                      flush=True)
        results[path] = {"monitored": rates[True], "unmonitored": rates[False]}
    print()
    print("| path | unmonitored req/s (median, min-max) | monitored req/s (median, min-max) | ratio of medians |")
    print("|---|---:|---:|---:|")
    for path, rates in results.items():
        off, on = rates["unmonitored"], rates["monitored"]
        print(f"| {path} | {statistics.median(off):,.0f} ({min(off):,.0f}-{max(off):,.0f}) "
              f"| {statistics.median(on):,.0f} ({min(on):,.0f}-{max(on):,.0f}) "
              f"| {statistics.median(on) / statistics.median(off):.3f} |")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"settings": vars(args), "results": results}, out, indent=2)


if __name__ == "__main__":
    main()
