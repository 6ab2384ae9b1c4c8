#!/usr/bin/env python3
"""Where the sample's CPU goes, per request, from the CPU profiles of a load-benchmark.py run.

Reads the JSON that load-benchmark.py wrote with --json and --profile (an async-profiler CPU event:
itimer, cpu or ctimer, not wall, whose samples include waiting threads; collapsed stacks), and
prints for each path and pair one table: microseconds of CPU per request in each mode (each run's
samples scaled to its CPU ms/request), by whose work they are:

- inside llm-monitor's observations: under the outermost start, stop or scope of an observation
  that llm-monitor's code opened, every handler included (Spring Boot's meter handler, the
  tracing handlers, llm-monitor's own);
- inside other observations: the same for observations opened by anyone else (Spring Boot's HTTP
  server and client observations, one a Reactor operator starts);
- Reactor context restores: the scope that context-propagation opens and closes around an
  element, for whichever observation is in the Reactor context (Reactor's handle operators);
- llm-monitor's code outside its observations: the advice, the starters, the reactive operator;
  work it hands on (the application's code, Reactor, WebFlux, Netty, Jackson under it) is not
  counted here but as the application's;
- the Spring AOP proxy (its generated classes included) and AspectJ's matching;
- garbage collection and VM threads (the VM thread, where the serial collector runs, and the
  JVM's other native threads: a parallel collector's workers), the JIT compiler threads, the
  span export thread (the batch span processor's); by thread name where the run was profiled
  with async-profiler's "threads" option (load-benchmark.py does), else by their native frames;
- the application: everything else.

    python3 benchmarks/load/load-benchmark.py --pairs 1 --paths blocking --yardstick \\
        --profile prof --profiler-lib /path/to/libasyncProfiler.so --json run.json
    python3 benchmarks/load/profile-breakdown.py run.json
"""

import collections
import json
import os
import re
import sys

LLM_MONITOR = "io/llmmonitor/"
SAMPLE = "io/llmmonitor/sample/"
OBSERVATION_ENTRY = re.compile(
    r"io/micrometer/observation/(SimpleObservation(\$SimpleScope)?"
    r"\.(start|stop|openScope|close|reset|makeCurrent|error|event)|Observation\$Scope\.close)$")
HANDED_ON = ("reactor/", "io/netty/", "org/springframework/web/", "org/springframework/http/",
             "com/fasterxml/", "tools/jackson/")
# the root frame of each stack with async-profiler's "threads" option: [name tid=123]
THREAD = re.compile(r"^\[(.*?) ?tid=\d+\]$")
JAVA_FRAME = re.compile(r"^[\w$]+(/[\w$]+)+\.")

CATEGORIES = [
    "inside llm-monitor's observations",
    "inside other observations",
    "Reactor context restores",
    "llm-monitor's code outside its observations",
    "Spring AOP proxy and AspectJ matching",
    "garbage collection and VM threads",
    "JIT compiler threads",
    "span export thread",
    "the application",
]
CPU_EVENTS = ("itimer", "cpu", "ctimer")
MODES = ("unmonitored", "monitored", "bare")


def is_llm_monitor(frame):
    return frame.startswith(LLM_MONITOR) and not frame.startswith(SAMPLE)


def thread_category(name, frames):
    """The category of a whole thread, by its name (the JVM's own threads' names cut to 15
    characters, as Linux keeps them: "C2 CompilerThre"), trusted for the JVM's threads only where
    the stack runs no Java code; None for a thread that runs the application's work."""
    if name.startswith("BatchSpanProcessor"):
        return "span export thread"
    if any(JAVA_FRAME.match(frame) for frame in frames):
        return None
    if name.startswith(("C1 Compiler", "C2 Compiler")):
        return "JIT compiler threads"
    if name.startswith(("VM Thread", "GC Thread", "G1 ", "VM Periodic", "Sweeper", "ZWorker", "ZDirector",
                        "Shenandoah", "Monitor Deflati")):
        return "garbage collection and VM threads"
    return None


def category(frames):
    """Whose work one stack (root first, frames without their signatures) is."""
    thread = THREAD.match(frames[0]) if frames else None
    if thread:
        frames = frames[1:]
        by_name = thread_category(thread.group(1), frames)
        if by_name:
            return by_name
    if not thread or not any(JAVA_FRAME.match(frame) for frame in frames):
        # without thread names: the JVM's own threads by their native frames
        stack = ";".join(frames)
        if "CompileBroker::compiler_thread_loop" in stack:
            return "JIT compiler threads"
        if "VMThread::run" in stack or ("Thread::call_run" in stack and "JavaThread::thread_main_inner" not in stack):
            return "garbage collection and VM threads"
        if any(frame.startswith("io/opentelemetry/sdk/trace/export/BatchSpanProcessor$Worker.run") for frame in frames):
            return "span export thread"
    for index, frame in enumerate(frames):
        if OBSERVATION_ENTRY.match(frame):
            caller = index
            while caller > 0 and frames[caller - 1].startswith("io/micrometer/observation/"):
                caller -= 1
            opened_by = frames[caller - 1] if caller > 0 else ""
            if opened_by.startswith("io/micrometer/context/"):
                # a Reactor operator putting the context's observation on the thread for one element
                # (llm-monitor's or Spring Boot's, whichever is in the context)
                return "Reactor context restores"
            return ("inside llm-monitor's observations" if is_llm_monitor(opened_by)
                    else "inside other observations")
    for frame in reversed(frames):
        if "$$SpringCGLIB$$" in frame or frame.startswith(("org/springframework/aop/", "org/aspectj/")):
            return "Spring AOP proxy and AspectJ matching"
        if frame.startswith(SAMPLE) or frame.startswith(HANDED_ON):
            return "the application"
        if is_llm_monitor(frame):
            return "llm-monitor's code outside its observations"
    return "the application"


def samples(lines):
    """({category: samples}, total) of collapsed stacks ("frame;frame;... count")."""
    counts = collections.Counter()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        counts[category([frame.split("(")[0] for frame in stack.split(";")])] += int(count)
    return counts, sum(counts.values())


def breakdown(result, read=lambda path: open(path, encoding="utf-8"), base=None):
    """[(path, pair, {mode: {category: us per request}}, {mode: samples})] of a load-benchmark.py
    JSON result; a relative profile directory is taken from base (the JSON file's directory)."""
    settings = result["settings"]
    event = settings["profile_event"].split(",")[0]
    if event not in CPU_EVENTS:
        raise ValueError(f"the profiles are of '{event}', not of CPU time ({', '.join(CPU_EVENTS)})")
    if settings.get("profile_format", "collapsed") != "collapsed":
        raise ValueError("the profiles are flame graphs: run load-benchmark.py with --profile-format collapsed")
    directory = settings["profile"]
    if not os.path.isabs(directory) and base:
        # beside the JSON (load-benchmark.py writes the directory as given, relative to where it ran)
        directory = os.path.join(base, directory)
    tables = []
    for path, runs in result["results"].items():
        pairs = len(runs.get("monitored_cpu_ms_per_request", []))
        for pair in range(pairs):
            table = {}
            sample_counts = {}
            for mode in MODES:
                cpu = runs.get(f"{mode}_cpu_ms_per_request")
                if not cpu:
                    continue
                name = os.path.join(directory, f"{path}-{mode}-{event}-{pair + 1}.collapsed")
                with read(name) as lines:
                    counts, total = samples(lines)
                if not total:
                    raise ValueError(f"{name} has no samples")
                table[mode] = {key: counts[key] / total * cpu[pair] * 1000 for key in CATEGORIES}
                sample_counts[mode] = total
            tables.append((path, pair + 1, table, sample_counts))
    return tables


def markdown(path, pair, table, sample_counts):
    """One table: a row per category and the total, a column per mode, and (monitored less
    unmonitored) what monitoring added, after the monitored column."""
    columns = [mode for mode in MODES if mode in table]
    if "monitored" in table and "unmonitored" in table:
        columns.insert(columns.index("monitored") + 1, "added")
    lines = [f"{path}, pair {pair}: CPU µs per request", "",
             "| where | " + " | ".join(columns) + " |", "|---" + "|---:" * len(columns) + "|"]

    def value(column, name):
        if column == "added":
            return value("monitored", name) - value("unmonitored", name)
        return sum(table[column].values()) if name == "total" else table[column][name]

    for name in CATEGORIES + ["total"]:
        lines.append(f"| {name} | " + " | ".join(f"{round(value(column, name), 1) + 0.0:.1f}" for column in columns) + " |")
    # a count of n samples is known to about sqrt(n): what one sample weighs says how far to trust a row
    lines.append("")
    lines.append("samples: " + ", ".join(
        f"{mode} {sample_counts[mode]:,} (one is {sum(table[mode].values()) / sample_counts[mode]:.3f} µs per request)"
        for mode in MODES if mode in sample_counts))
    return "\n".join(lines)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as file:
        result = json.load(file)
    if not result["settings"].get("profile"):
        sys.exit(f"{sys.argv[1]} is of a run without --profile")
    try:
        tables = breakdown(result, base=os.path.dirname(os.path.abspath(sys.argv[1])))
    except (ValueError, OSError) as ex:
        sys.exit(str(ex))
    print("\n\n".join(markdown(*table) for table in tables))


if __name__ == "__main__":
    main()
