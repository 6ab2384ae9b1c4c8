#!/usr/bin/env python3
"""End-to-end load benchmark: the sample app monitored against unmonitored, under hey.

The sample runs with its built-in simulated model answering at once (50 tokens, 1 ms to the first
token, no errors, aborts, slow, truncated, refused or empty answers), the call log off and tracing on in both modes (the
HTTP server and WebClient observations exist either way). The only difference between the two
modes is --llm.monitor.enabled. By default llm-monitor runs with the starter's defaults: the
content capture and quality analyses that the sample's application.yml turns on are turned off
again (--config sample keeps them, as the sample ships). Each pair of runs alternates the modes (the order flips from pair
to pair), the app is pinned to one CPU and hey to the other where taskset exists, and every run
has its own warm-up. It prints one row per path: median requests/s of each mode, their spread
(min-max) and the ratio of the medians.

    rm -f sample-app/target/*.jar && ./mvnw -B -pl sample-app -am package -DskipTests
    python3 benchmarks/load/load-benchmark.py                   # 3 pairs, 20 s runs, both paths
    python3 benchmarks/load/load-benchmark.py --pairs 1 --duration 3 --warmup 2 --max-warmup 0   # smoke run
    python3 benchmarks/load/load-benchmark.py --config sample   # the sample's own opt-ins too
    # the yardstick: a third run per pair, unmonitored with Spring Boot's own HTTP observations off,
    # prices one of llm-monitor's observations against one of Spring Boot's in the same app
    python3 benchmarks/load/load-benchmark.py --paths blocking --yardstick
    # a profile per mode: {mode} becomes "monitored", "unmonitored" or (--yardstick) "bare"
    python3 benchmarks/load/load-benchmark.py --pairs 1 --paths blocking \
        --java-opts "-Xms512m -Xmx512m -agentpath:/path/libasyncProfiler.so=start,event=itimer,collapsed,file=/tmp/{mode}.collapsed"

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

PROC = "/proc"

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

# What the sample's application.yml turns on beyond the starter's defaults, turned off again: the
# default configuration measures what every user of the starter pays.
STARTER_DEFAULTS = [
    "--llm.monitor.capture-content.enabled=false",
    "--llm.monitor.quality.enabled=false",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# the yardstick's third mode: Spring Boot's own observations of the sample's HTTP traffic off
BOOT_OBSERVATIONS_OFF = ["--management.observations.enable.http.server.requests=false",
                         "--management.observations.enable.http.client.requests=false"]

# the timers of each kind of observation in the scrape: Spring Boot's HTTP server (but the scrapes'
# own requests) and client observations, llm-monitor's LLM calls and endpoints
OBSERVATION_TIMERS = {
    "boot": ("http_server_requests_seconds_count", "http_client_requests_seconds_count"),
    "llm": ("llm_request_duration_seconds_count", "llm_endpoint_duration_seconds_count"),
}


def observation_counts(text):
    """How many observations of each kind (OBSERVATION_TIMERS) ended so far, from the text of a
    Prometheus scrape: the sum of the _count series of their timers, the actuator's own requests
    left out."""
    counts = {kind: 0.0 for kind in OBSERVATION_TIMERS}
    for line in text.splitlines():
        if line.startswith("#") or 'uri="/actuator' in line:
            continue
        name = line.split("{", 1)[0].split(" ", 1)[0]
        for kind, timers in OBSERVATION_TIMERS.items():
            if name in timers:
                counts[kind] += float(line.rsplit(" ", 1)[1])
    return counts


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=5) as response:
        return response.read().decode()


def sample_jar(explicit):
    if explicit:
        return explicit
    jars = [j for j in glob.glob(os.path.join(ROOT, "sample-app/target/llm-monitor-sample-app-*.jar"))
            if not j.endswith("-plain.jar")]
    if not jars:
        sys.exit("no sample jar: run ./mvnw -B -pl sample-app -am package -DskipTests first")
    # repackaging an unchanged sample keeps the llm-monitor jar it bundled before: a benchmark of
    # a changed library would measure the old one
    classes = os.path.join(ROOT, "llm-monitor-autoconfigure/target/classes")
    newest = max((os.path.getmtime(os.path.join(d, f)) for d, _, fs in os.walk(classes) for f in fs), default=0)
    if newest > os.path.getmtime(jars[0]):
        sys.exit(f"{jars[0]} is older than llm-monitor-autoconfigure/target/classes: delete it and run "
                 "./mvnw -B -pl sample-app -am package -DskipTests again")
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
    return rate, int(statuses["200"])


def stat_cpu_ticks(path):
    """User and system CPU time in a /proc stat file (utime and stime, its 14th and 15th fields,
    counted after the command name, which may hold spaces and parentheses), in clock ticks."""
    with open(path) as stat:
        fields = stat.read().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])


def cpu_seconds(pid):
    """User and system CPU time of a process, all its threads, in seconds."""
    return stat_cpu_ticks(f"{PROC}/{pid}/stat") / os.sysconf("SC_CLK_TCK")


def compiler_cpu_ticks(pid):
    """User and system CPU time of each JIT compiler thread of a process (HotSpot names them "C1
    CompilerThread<n>", "C2 CompilerThread<n>" or "JVMCI CompilerThread<n>", which the kernel cuts
    to 15 characters: "JVMCI CompilerT"), in clock ticks, by task id."""
    ticks = {}
    for task in os.listdir(f"{PROC}/{pid}/task"):
        try:
            with open(f"{PROC}/{pid}/task/{task}/comm") as comm:
                if " CompilerT" not in comm.read():
                    continue
            ticks[task] = stat_cpu_ticks(f"{PROC}/{pid}/task/{task}/stat")
        except OSError:
            continue
    return ticks


def jit_share(compiler_before, compiler_after, cpu):
    """The JIT compiler threads' share of cpu (the app's CPU seconds between the two readings of
    compiler_cpu_ticks), or None when a compiler thread ended in between: HotSpot ends the threads
    it added (UseDynamicNumberOfCompilerThreads), and what an ended thread took cannot be read."""
    if not compiler_before.keys() <= compiler_after.keys():
        return None
    ticks = sum(compiler_after[task] - compiler_before.get(task, 0) for task in compiler_after)
    return ticks / os.sysconf("SC_CLK_TCK") / max(cpu, 1e-9)


def profiler(pid, library, command):
    """Starts or stops async-profiler in the running sample (jcmd JVMTI.agent_load)."""
    # quoted: jcmd would read "start,event=itimer" as an argument named "start,event"
    output = subprocess.run(["jcmd", str(pid), "JVMTI.agent_load", library, f'"{command}"'], check=True,
                            capture_output=True, text=True).stdout
    if "return code: 0" not in output:
        sys.exit(f"async-profiler refused '{command}' (the sample's stderr says why):\n{output}")


def warm_up(args, pid, port, path, served=None):
    """At least --warmup seconds of load, then 5 s slices until the JIT is done: its compiler
    threads took under --jit-settled of the app's CPU in the last slice, and the slice served within
    5% of the one before. At most --max-warmup seconds. A Spring app pinned to one core keeps
    compiling for minutes under load: its rate climbs slowly and steadily (two slices 5% apart
    are no proof of anything), then jumps by 3 to 5 times when the compile queue runs dry; a run
    measured before that measures the JIT. The requests served are added to the list served."""
    served = [] if served is None else served
    served.append(hey(port, path, args.warmup, args.concurrency, args.load_cpu)[1])
    previous, spent = None, args.warmup
    if spent >= args.max_warmup:
        return spent  # no slice, no verdict on the JIT (the smoke run's --max-warmup 0)
    while spent < args.max_warmup:
        compiler_before, cpu_before = compiler_cpu_ticks(pid), cpu_seconds(pid)
        rate, requests = hey(port, path, 5, args.concurrency, args.load_cpu)
        served.append(requests)
        spent += 5
        jit = jit_share(compiler_before, compiler_cpu_ticks(pid), cpu_seconds(pid) - cpu_before)
        if (jit is not None and jit < args.jit_settled and previous is not None
                and abs(rate - previous) <= 0.05 * previous):
            return spent
        previous = rate
    print(f"warning: the JIT was still compiling after {spent} s of warm-up: raise --max-warmup", flush=True)
    return spent


MODES = {
    # name: (llm-monitor on, extra flags)
    "unmonitored": (False, []),
    "monitored": (True, []),
    "bare": (False, BOOT_OBSERVATIONS_OFF),
}


def run(args, jar, path, mode, pair):
    """One measured run of a mode: its rate, CPU ms per request, JIT share, warm-up seconds and the
    observations of each kind that ended per request, warm-up and measured window together: read
    from a scrape before the warm-up and one after the window, in every mode alike. None in the
    window: the scrape's compiling would be measured."""
    monitored, mode_flags = MODES[mode]
    java_opts = args.java_opts.replace("{mode}", mode).split()
    extra = (STARTER_DEFAULTS if args.config == "defaults" else []) + args.sample_arg + mode_flags
    process, port = start_sample(jar, monitored, args.app_cpu, java_opts, extra)
    try:
        counts_before = observation_counts(scrape(port))
        served = []
        warmed = warm_up(args, process.pid, port, path, served)
        if args.profile:
            # threads: each stack under its thread's name, which profile-breakdown.py reads
            profiler(process.pid, args.profiler_lib, f"start,event={args.profile_event},threads")
        cpu_before, compiler_before = cpu_seconds(process.pid), compiler_cpu_ticks(process.pid)
        rate, requests = hey(port, path, args.duration, args.concurrency, args.load_cpu)
        cpu = cpu_seconds(process.pid) - cpu_before
        jit = jit_share(compiler_before, compiler_cpu_ticks(process.pid), cpu)
        if args.profile:
            os.makedirs(args.profile, exist_ok=True)
            name = f"{path}-{mode}-{args.profile_event.split(',')[0]}-{pair + 1}"
            profiler(process.pid, args.profiler_lib,
                     f"stop,{args.profile_format},file={os.path.abspath(os.path.join(args.profile, name))}"
                     + (".html" if args.profile_format == "flamegraph" else ".collapsed"))
        text = scrape(port)
        if monitored and "llm_request_duration_seconds_count" not in text:
            sys.exit("the monitored sample recorded no LLM call: the benchmark measures nothing")
        counts_after = observation_counts(text)
        all_requests = sum(served) + requests
        per_request = {kind: (counts_after[kind] - counts_before[kind]) / all_requests for kind in counts_after}
        return rate, 1000 * cpu / requests, jit, warmed, per_request
    finally:
        process.terminate()
        process.wait(timeout=30)


def yardstick(result):
    """One of llm-monitor's observations against one of Spring Boot's, in µs of CPU per
    observation: Spring Boot's cost what the unmonitored runs lose when its HTTP observations are off
    (the bare runs), llm-monitor's what the monitored runs add; each divided by its observations per
    request (counted in the monitored runs' scrapes). None, with the reason printed, where the counts
    show that the modes do not differ as they should."""
    counts = result["monitored_observations_per_request"]
    boot_count = statistics.median(c["boot"] for c in counts)
    llm_count = statistics.median(c["llm"] for c in counts)
    bare_boot = max(c["boot"] for c in result["bare_observations_per_request"])
    unmonitored_llm = max(c["llm"] for c in result["unmonitored_observations_per_request"])
    if boot_count <= 0 or llm_count <= 0 or bare_boot > 0 or unmonitored_llm > 0:
        print(f"no yardstick: Spring Boot's observations per request {boot_count} (bare runs: {bare_boot}), "
              f"llm-monitor's {llm_count} (unmonitored runs: {unmonitored_llm})")
        return None
    unmonitored = statistics.median(result["unmonitored_cpu_ms_per_request"])
    boot_us = 1000 * (unmonitored - statistics.median(result["bare_cpu_ms_per_request"]))
    llm_us = 1000 * (statistics.median(result["monitored_cpu_ms_per_request"]) - unmonitored)
    return {"boot_observations_per_request": boot_count, "boot_us_per_observation": boot_us / boot_count,
            "llm_observations_per_request": llm_count, "llm_us_per_observation": llm_us / llm_count,
            "ratio": (llm_us / llm_count) / (boot_us / boot_count) if boot_us > 0 else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=3, help="alternated pairs of runs per path (default 3)")
    parser.add_argument("--duration", type=int, default=20, help="seconds measured per run (default 20)")
    parser.add_argument("--warmup", type=int, default=15, help="seconds of load before each measured run (default 15)")
    parser.add_argument("--max-warmup", type=int, default=300,
                        help="seconds of warm-up at most, until the JIT is done (default 300)")
    parser.add_argument("--jit-settled", type=float, default=0.03,
                        help="share of the app's CPU taken by the JIT compiler threads in a 5 s slice under "
                             "which the warm-up ends (default 0.03)")
    parser.add_argument("--concurrency", type=int, default=32, help="hey's concurrent clients (default 32)")
    parser.add_argument("--paths", default="blocking,stream", help="comma-separated: blocking, stream")
    parser.add_argument("--app-cpu", type=int, default=0, help="CPU the sample is pinned to (default 0)")
    parser.add_argument("--load-cpu", type=int, default=1, help="CPU hey is pinned to (default 1)")
    parser.add_argument("--java-opts", default="-Xms512m -Xmx512m", help="JVM options of the sample")
    parser.add_argument("--config", choices=["defaults", "sample"], default="defaults",
                        help="defaults: the starter's defaults (content capture and quality analyses off); "
                             "sample: the sample's application.yml as it ships (both on)")
    parser.add_argument("--sample-arg", action="append", default=[], help="one more sample flag (repeatable)")
    parser.add_argument("--yardstick", action="store_true",
                        help="a third run per pair, unmonitored with Spring Boot's HTTP observations off: "
                             "prices one of llm-monitor's observations against one of Spring Boot's")
    parser.add_argument("--jar", help="the sample's jar (default: sample-app/target)")
    parser.add_argument("--json", help="also write the raw rates to this file")
    parser.add_argument("--profile", metavar="DIR",
                        help="profile each measured run with async-profiler into DIR (needs --profiler-lib and jcmd)")
    parser.add_argument("--profiler-lib", help="path of async-profiler's libasyncProfiler.so")
    parser.add_argument("--profile-event", default="itimer,interval=1ms",
                        help="async-profiler event and options (default itimer,interval=1ms; alloc for allocation)")
    parser.add_argument("--profile-format", choices=["collapsed", "flamegraph"], default="collapsed")
    args = parser.parse_args()
    if not shutil.which("hey"):
        sys.exit("hey is missing: apt-get install -y hey")
    if (os.cpu_count() or 1) < 2:
        args.app_cpu = args.load_cpu = None
    if args.profile and not args.profiler_lib:
        sys.exit("--profile needs --profiler-lib /path/to/libasyncProfiler.so")
    if args.profile:
        # written so into the --json settings, where profile-breakdown.py finds the profiles
        args.profile = os.path.abspath(args.profile)
    jar = sample_jar(args.jar)
    results = {}
    modes = ["unmonitored", "monitored"] + (["bare"] if args.yardstick else [])
    for path in args.paths.split(","):
        result = {key.format(mode): [] for mode in modes
                  for key in ("{}", "{}_cpu_ms_per_request", "{}_jit_share")}
        result.update({f"{mode}_observations_per_request": [] for mode in modes})
        for pair in range(args.pairs):
            for mode in (modes if pair % 2 == 0 else list(reversed(modes))):
                rate, cpu_ms, jit, warmed, per_request = run(args, jar, path, mode, pair)
                result[mode].append(rate)
                result[f"{mode}_cpu_ms_per_request"].append(cpu_ms)
                result[f"{mode}_jit_share"].append(round(jit, 4) if jit is not None else None)
                result[f"{mode}_observations_per_request"].append(per_request)
                share = f"{100 * jit:4.1f}%" if jit is not None else "   ?"  # a compiler thread ended
                print(f"{path:8s} pair {pair + 1} {mode:11s} {rate:9.1f} req/s"
                      f" {cpu_ms:7.3f} CPU ms/request   JIT {share} of the CPU   warm-up {warmed} s",
                      flush=True)
        if args.yardstick:
            result["yardstick"] = yardstick(result)
        results[path] = result
    print()
    print(f"config: {args.config}")
    print("| path | unmonitored req/s (median, min-max) | monitored req/s (median, min-max) | ratio of medians |")
    print("|---|---:|---:|---:|")
    for path, rates in results.items():
        off, on = rates["unmonitored"], rates["monitored"]
        print(f"| {path} | {statistics.median(off):,.0f} ({min(off):,.0f}-{max(off):,.0f}) "
              f"| {statistics.median(on):,.0f} ({min(on):,.0f}-{max(on):,.0f}) "
              f"| {statistics.median(on) / statistics.median(off):.3f} |")
    print()
    print("CPU of the sample per request (all its threads, measured window only): contention on the machine")
    print("changes it far less than the rates; its inverse ratio is the throughput ratio of a CPU-bound app.")
    print("| path | unmonitored CPU ms/request (median) | monitored CPU ms/request (median) | inverse ratio |")
    print("|---|---:|---:|---:|")
    for path, rates in results.items():
        off, on = rates["unmonitored_cpu_ms_per_request"], rates["monitored_cpu_ms_per_request"]
        print(f"| {path} | {statistics.median(off):.3f} | {statistics.median(on):.3f} "
              f"| {statistics.median(off) / statistics.median(on):.3f} |")
    if args.yardstick:
        print()
        print("The yardstick: CPU per observation, llm-monitor's (what the monitored runs add) against Spring Boot's")
        print("HTTP server and client observations' (what the unmonitored runs lose when they are off), each")
        print("divided by its observations per request.")
        print("| path | Spring Boot's per request | µs each | llm-monitor's per request | µs each | ratio |")
        print("|---|---:|---:|---:|---:|---:|")
        for path, result in results.items():
            y = result["yardstick"]
            if y is None:
                print(f"| {path} | ? | ? | ? | ? | ? |")
                continue
            ratio = f"{y['ratio']:.2f}" if y["ratio"] is not None else "?"
            print(f"| {path} | {y['boot_observations_per_request']:.2f} | {y['boot_us_per_observation']:.1f} "
                  f"| {y['llm_observations_per_request']:.2f} | {y['llm_us_per_observation']:.1f} | {ratio} |")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"settings": vars(args), "results": results}, out, indent=2)


if __name__ == "__main__":
    main()
