#!/usr/bin/env python3
"""Tests of benchmarks/load/load-benchmark.py's warm-up on a /proc made up here (no JVM, no hey):
when it takes the JIT for done; and of its yardstick's arithmetic on made-up scrapes and runs.

Usage: python3 benchmarks/load/load-benchmark-test.py
"""
import argparse
import contextlib
import importlib.util
import io
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("load_benchmark", os.path.join(HERE, "load-benchmark.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

PID = 4242


def stat_line(name, ticks):
    # pid (comm) state, then fields 4 onwards; utime and stime are the 14th and 15th
    return f"{PID} ({name}) S " + " ".join(["0"] * 10) + f" {ticks} 0 " + " ".join(["0"] * 30) + "\n"


class WarmUpTests(unittest.TestCase):

    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.addCleanup(self.work.cleanup)
        self.old = (bench.PROC, bench.hey)
        self.addCleanup(self.restore)
        bench.PROC = self.work.name
        self.slices = []

    def restore(self):
        bench.PROC, bench.hey = self.old

    def write(self, process_ticks, threads):
        """threads: task id to (comm, ticks); tasks not named are gone."""
        root = os.path.join(self.work.name, str(PID))
        os.makedirs(os.path.join(root, "task"), exist_ok=True)
        with open(os.path.join(root, "stat"), "w") as f:
            f.write(stat_line("java", process_ticks))
        for task in os.listdir(os.path.join(root, "task")):
            if int(task) not in threads:
                for name in ("comm", "stat"):
                    os.remove(os.path.join(root, "task", task, name))
                os.rmdir(os.path.join(root, "task", task))
        for task, (comm, ticks) in threads.items():
            os.makedirs(os.path.join(root, "task", str(task)), exist_ok=True)
            with open(os.path.join(root, "task", str(task), "comm"), "w") as f:
                f.write(comm + "\n")
            with open(os.path.join(root, "task", str(task), "stat"), "w") as f:
                f.write(stat_line(comm, ticks))

    def run_warm_up(self, states, warmup=0, max_warmup=300):
        """states: what /proc reads after the warm-up's first load and after each 5 s slice; every
        slice serves 100 requests/s, so that only the JIT decides."""
        states = list(states)

        def hey(port, path, seconds, concurrency, cpu):
            self.write(*states.pop(0))
            return 100.0, 100 * seconds

        bench.hey = hey
        args = argparse.Namespace(warmup=warmup, max_warmup=max_warmup, jit_settled=0.03, concurrency=1, load_cpu=None)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            spent = bench.warm_up(args, PID, 0, "blocking")
        return spent, output.getvalue()

    def test_a_compiler_thread_that_ends_in_a_slice_does_not_make_the_jit_look_done(self):
        # HotSpot ends compiler threads it added (UseDynamicNumberOfCompilerThreads): the CPU that
        # an ended thread took in the slice cannot be read, so the slice proves nothing
        spent, _ = self.run_warm_up([
            (1000, {1: ("main", 100), 2: ("C2 CompilerThre", 400), 3: ("C2 CompilerThre", 300)}),
            (1500, {1: ("main", 200), 2: ("C2 CompilerThre", 600), 3: ("C2 CompilerThre", 500)}),  # compiling
            (2000, {1: ("main", 300), 2: ("C2 CompilerThre", 800)}),  # thread 3 compiled, then ended
            (2500, {1: ("main", 800), 2: ("C2 CompilerThre", 800)}),  # done
        ])
        self.assertEqual(spent, 15)

    def test_the_jit_is_done_when_its_threads_take_under_the_threshold_in_a_slice(self):
        spent, output = self.run_warm_up([
            (1000, {1: ("main", 100), 2: ("C1 CompilerThre", 400)}),
            (1500, {1: ("main", 200), 2: ("C1 CompilerThre", 800)}),
            (2000, {1: ("main", 690), 2: ("C1 CompilerThre", 810)}),
        ])
        self.assertEqual((spent, output), (10, ""))

    def test_the_threads_of_a_jvmci_compiler_are_read_too(self):
        # "JVMCI CompilerThread0" (GraalVM's compiler), cut to 15 characters by the kernel
        spent, _ = self.run_warm_up([
            (1000, {1: ("main", 100), 2: ("JVMCI CompilerT", 400)}),
            (1500, {1: ("main", 200), 2: ("JVMCI CompilerT", 800)}),  # compiling
            (2000, {1: ("main", 300), 2: ("JVMCI CompilerT", 1200)}),  # compiling
            (2500, {1: ("main", 790), 2: ("JVMCI CompilerT", 1210)}),  # done
        ])
        self.assertEqual(spent, 15)

    def test_no_warning_of_a_jit_that_was_not_checked(self):
        # --max-warmup 0 (the smoke run): the --warmup seconds of load only, no slice, no verdict
        spent, output = self.run_warm_up([(1000, {1: ("main", 100), 2: ("C2 CompilerThre", 400)})], warmup=2,
                                         max_warmup=0)
        self.assertEqual((spent, output), (2, ""))

    def test_a_warm_up_that_runs_out_says_so(self):
        busy = [(1000 + 500 * i, {1: ("main", 100 + 100 * i), 2: ("C2 CompilerThre", 400 + 400 * i)}) for i in range(4)]
        spent, output = self.run_warm_up(busy, max_warmup=15)
        self.assertEqual(spent, 15)
        self.assertIn("still compiling after 15 s", output)


SCRAPE = """# HELP http_server_requests_seconds
# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_bucket{method="POST",status="200",uri="/api/chat",le="0.05"} 120.0
http_server_requests_seconds_count{method="POST",status="200",uri="/api/chat"} 120.0
http_server_requests_seconds_sum{method="POST",status="200",uri="/api/chat"} 3.5
http_server_requests_seconds_count{method="POST",status="200",uri="/v1/chat/completions"} 120.0
http_server_requests_seconds_count{method="GET",status="200",uri="/actuator/prometheus"} 7.0
http_server_requests_seconds_count{method="GET",status="200",uri="/actuator/health"} 3.0
http_server_requests_active_seconds_count{method="POST",uri="UNKNOWN"} 2.0
http_client_requests_seconds_count{client_name="127.0.0.1",method="POST",status="200",uri="/v1/chat/completions"} 120.0
llm_request_duration_seconds_count{model="gpt-4o-sim",status="success"} 100.0
llm_request_duration_seconds_count{model="gpt-4o-sim",status="error"} 20.0
llm_endpoint_duration_seconds_count{endpoint="chat",status="success"} 120.0
llm_tokens_per_call_count{model="gpt-4o-sim"} 240.0
"""


class YardstickTests(unittest.TestCase):

    def test_counts_the_timers_of_each_kind_of_observation_but_the_actuators_requests(self):
        self.assertEqual(bench.observation_counts(SCRAPE), {"boot": 360.0, "llm": 240.0})

    def test_prices_an_observation_of_each_kind_from_the_three_modes(self):
        # Spring Boot's three observations take 0.060 ms of a request, llm-monitor's two 0.080 ms
        result = {
            "unmonitored_cpu_ms_per_request": [0.245, 0.250, 0.240],
            "bare_cpu_ms_per_request": [0.190, 0.185, 0.180],
            "monitored_cpu_ms_per_request": [0.320, 0.330, 0.325],
            "monitored_observations_per_request": [{"boot": 3.0, "llm": 2.0}, {"boot": 3.0, "llm": 2.0},
                                                   {"boot": 2.9, "llm": 2.0}],
            "unmonitored_observations_per_request": [{"boot": 3.0, "llm": 0.0}] * 3,
            "bare_observations_per_request": [{"boot": 0.0, "llm": 0.0}] * 3,
        }
        y = bench.yardstick(result)
        self.assertAlmostEqual(y["boot_us_per_observation"], 20.0)
        self.assertAlmostEqual(y["llm_us_per_observation"], 40.0)
        self.assertAlmostEqual(y["ratio"], 2.0)

    def yardstick_of_counts(self, monitored, unmonitored, bare):
        result = {
            "unmonitored_cpu_ms_per_request": [0.245],
            "bare_cpu_ms_per_request": [0.185],
            "monitored_cpu_ms_per_request": [0.325],
            "monitored_observations_per_request": [monitored],
            "unmonitored_observations_per_request": [unmonitored],
            "bare_observations_per_request": [bare],
        }
        with contextlib.redirect_stdout(io.StringIO()) as output:
            return bench.yardstick(result), output.getvalue()

    def test_no_yardstick_without_counted_observations(self):
        y, output = self.yardstick_of_counts({"boot": 0.0, "llm": 2.0}, {"boot": 0.0, "llm": 0.0},
                                             {"boot": 0.0, "llm": 0.0})
        self.assertIsNone(y)
        self.assertIn("no yardstick", output)

    def test_no_yardstick_when_the_bare_runs_still_observe_http(self):
        # the flags that turn Spring Boot's observations off did not take: bare is unmonitored again
        y, output = self.yardstick_of_counts({"boot": 3.0, "llm": 2.0}, {"boot": 3.0, "llm": 0.0},
                                             {"boot": 3.0, "llm": 0.0})
        self.assertIsNone(y)
        self.assertIn("bare runs: 3.0", output)

    def test_no_yardstick_when_the_unmonitored_runs_are_monitored(self):
        y, _ = self.yardstick_of_counts({"boot": 3.0, "llm": 2.0}, {"boot": 3.0, "llm": 2.0},
                                        {"boot": 0.0, "llm": 0.0})
        self.assertIsNone(y)


if __name__ == "__main__":
    unittest.main()
