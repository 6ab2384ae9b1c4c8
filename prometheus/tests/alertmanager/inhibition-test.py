#!/usr/bin/env python3
"""The inhibitions of prometheus/alertmanager.yml against a live Alertmanager.

Starts `alertmanager` (Debian: `prometheus-alertmanager`) on a free loopback port with the shipped
configuration, posts alerts through its API (/api/v2/alerts) and checks which ones it inhibits:
a down application silences its own alerts only (same namespace and application, alerts of
llm-monitor only), a fast burn silences the slow burn of the same SLO only, and nothing silences
alerts of other sources (NodeFilesystemAlmostFull...). Every wait is bounded; the process is
always stopped.

Then it proves that it can fail: it runs the same alerts against broken copies of the shipped
configuration (a matcher or an "equal" label removed, each a mistake that silences the wrong
alerts) and fails unless it notices each of them (--no-self-test skips this, --self-test runs it
alone). Needs PyYAML (Debian: python3-yaml) for the broken copies.

Usage: prometheus/tests/alertmanager/inhibition-test.py [--self-test | --no-self-test] [alertmanager.yml]
"""
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LLM = {"component": "llm-monitor"}

# (labels, inhibited?)
ALERTS = [
    # chat is down in prod: its other alerts are explained
    ({**LLM, "alertname": "LlmApplicationDown", "severity": "critical", "namespace": "prod", "application": "chat",
      "job": "llm-apps"}, False),
    ({**LLM, "alertname": "LlmHighErrorRatio", "severity": "warning", "namespace": "prod", "application": "chat",
      "model": "gpt-4o", "provider": "openai"}, True),
    ({**LLM, "alertname": "LlmInstanceDown", "severity": "warning", "namespace": "prod", "application": "chat",
      "job": "llm-apps", "instance": "10.0.0.1:8080"}, True),
    ({**LLM, "alertname": "LlmAvailabilityErrorBudgetBurnFast", "severity": "critical", "namespace": "prod",
      "application": "chat", "slo": "availability"}, True),
    # ... but not chat in staging, another application, or alerts of other sources
    ({**LLM, "alertname": "LlmHighErrorRatio", "severity": "warning", "namespace": "staging", "application": "chat",
      "model": "gpt-4o", "provider": "openai"}, False),
    ({**LLM, "alertname": "LlmHighErrorRatio", "severity": "warning", "namespace": "prod", "application": "search",
      "model": "gpt-4o", "provider": "openai"}, False),
    ({"alertname": "NodeFilesystemAlmostFull", "severity": "warning", "instance": "node-1:9100",
      "mountpoint": "/"}, False),
    ({"alertname": "KubePodCrashLooping", "severity": "warning", "namespace": "prod", "application": "chat",
      "pod": "chat-7d9f"}, False),
    ({**LLM, "alertname": "LlmScrapeTargetsMissing", "severity": "warning", "job": "llm-apps"}, False),
    # an "up" without "application" (a target not relabelled) names no application: it silences nothing
    ({**LLM, "alertname": "LlmApplicationDown", "severity": "critical", "job": "llm-apps"}, False),
    # no call of billing succeeds in prod: its per-model failures are explained, not staging's
    ({**LLM, "alertname": "LlmNoSuccessfulCalls", "severity": "critical", "namespace": "prod",
      "application": "billing"}, False),
    ({**LLM, "alertname": "LlmCallsFailing", "severity": "warning", "namespace": "prod", "application": "billing",
      "model": "gpt-4o", "provider": "openai"}, True),
    ({**LLM, "alertname": "LlmHighCancelledRatio", "severity": "warning", "namespace": "prod",
      "application": "billing", "model": "gpt-4o", "provider": "openai"}, True),
    ({**LLM, "alertname": "LlmSlowTokenGeneration", "severity": "warning", "namespace": "prod",
      "application": "billing", "model": "gpt-4o", "provider": "openai"}, False),
    ({**LLM, "alertname": "LlmCallsFailing", "severity": "warning", "namespace": "staging",
      "application": "billing", "model": "gpt-4o", "provider": "openai"}, False),
    # a fast burn explains the slow burn of the same SLO of the same application, nothing else
    ({**LLM, "alertname": "LlmLatencyErrorBudgetBurnFast", "severity": "critical", "namespace": "prod",
      "application": "search", "slo": "latency"}, False),
    ({**LLM, "alertname": "LlmLatencyErrorBudgetBurnSlow", "severity": "warning", "namespace": "prod",
      "application": "search", "slo": "latency"}, True),
    ({**LLM, "alertname": "LlmAvailabilityErrorBudgetBurnSlow", "severity": "warning", "namespace": "prod",
      "application": "search", "slo": "availability"}, False),
    ({**LLM, "alertname": "LlmLatencyErrorBudgetBurnSlow", "severity": "warning", "namespace": "staging",
      "application": "search", "slo": "latency"}, False),
    ({**LLM, "alertname": "LlmGpuTooHot", "severity": "warning", "namespace": "prod", "application": "search",
      "instance": "gpu-1:8080", "gpu": "0"}, False),
    # the service alerts of llm-monitor: a down application explains them, a burning SLO does not
    ({**LLM, "alertname": "ServiceHttpServerErrorRatioHigh", "severity": "critical", "namespace": "prod",
      "application": "chat", "method": "GET", "uri": "/api/chat"}, True),
    ({**LLM, "alertname": "JvmHeapUsageHigh", "severity": "warning", "namespace": "prod", "application": "search",
      "instance": "10.0.0.2:8080"}, False),
    # a GPU of the DCGM exporter belongs to no application
    ({**LLM, "alertname": "GpuTemperatureHigh", "severity": "warning", "gpu": "0", "instance": "gpu-1:9400",
      "Hostname": "gpu-1"}, False),
    # a foreign critical alert silences no warning
    ({"alertname": "KubeNodeNotReady", "severity": "critical", "node": "node-2"}, False),
    ({"alertname": "KubeletTooManyPods", "severity": "warning", "node": "node-2"}, False),
    # another team's SLO tooling (Pyrra, Sloth) labels "slo" too: our fast burn silences none of it
    ({"alertname": "ErrorBudgetBurn", "severity": "warning", "namespace": "prod", "application": "search",
      "slo": "latency"}, False),
]

# Broken copies of the configuration, each a mistake the test must notice:
# (what is broken, function that breaks the parsed configuration in place)
def _drop(matchers, prefix):
    matchers[:] = [matcher for matcher in matchers if not matcher.startswith(prefix)]


BROKEN = [
    ("LlmApplicationDown without application=~\".+\"",
     lambda config: _drop(config["inhibit_rules"][0]["source_matchers"], "application")),
    ("application-down inhibition not limited to component=\"llm-monitor\"",
     lambda config: _drop(config["inhibit_rules"][0]["target_matchers"], "component")),
    ("application-down inhibition without namespace in equal",
     lambda config: config["inhibit_rules"][0]["equal"].remove("namespace")),
    ("no-successful-calls inhibition without its alertname list",
     lambda config: _drop(config["inhibit_rules"][1]["target_matchers"], "alertname")),
    ("fast-burn inhibition not limited to component=\"llm-monitor\"",
     lambda config: _drop(config["inhibit_rules"][2]["target_matchers"], "component")),
    ("fast-burn inhibition without slo in equal",
     lambda config: config["inhibit_rules"][2]["equal"].remove("slo")),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url, data=None):
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = condition()
            if result:
                return result
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("timed out after %d s waiting for %s" % (seconds, what))
        time.sleep(0.2)


def key(labels):
    return json.dumps(labels, sort_keys=True)


def inhibitions(binary, config, wait_seconds):
    """Posts ALERTS to a live Alertmanager running config; {labels key: inhibited (None: missing)} once it
    matches the expectations, or as it stands after wait_seconds."""
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    with tempfile.TemporaryDirectory(prefix="llm-alertmanager-") as work:
        log = open(os.path.join(work, "alertmanager.log"), "w")
        process = subprocess.Popen([binary, "--config.file=" + config, "--storage.path=" + work,
                                    "--web.listen-address=127.0.0.1:%d" % port, "--cluster.listen-address="],
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: process.poll() is not None or request(url + "/api/v2/status")["config"], 30,
                       "Alertmanager to start")
            if process.poll() is not None:
                log.close()
                with open(os.path.join(work, "alertmanager.log")) as text:
                    raise SystemExit("Alertmanager did not start with %s:\n%s" % (config, text.read()))
            now = datetime.datetime.now(datetime.timezone.utc)
            ends = (now + datetime.timedelta(hours=1)).isoformat()
            request(url + "/api/v2/alerts", [{"labels": labels, "startsAt": now.isoformat(), "endsAt": ends}
                                              for labels, _ in ALERTS])
            expected = {key(labels): inhibited for labels, inhibited in ALERTS}
            got = {}

            def states():
                got.clear()
                got.update({key(a["labels"]): bool(a["status"]["inhibitedBy"]) for a in request(url + "/api/v2/alerts")})
                return got == expected

            try:
                wait_until(states, wait_seconds, "the expected inhibitions")
            except SystemExit:
                pass
            return dict(got)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            log.close()


def mismatches(got):
    return [(labels, inhibited, got.get(key(labels))) for labels, inhibited in ALERTS
            if got.get(key(labels)) != inhibited]


def describe(labels):
    return " ".join(labels.get(name, "") for name in ("alertname", "namespace", "application")).strip()


def check(binary, config):
    wrong = mismatches(inhibitions(binary, config, 15))
    for labels, inhibited, state in wrong:
        print("FAIL %-44s expected %-13s got %s" % (describe(labels), "inhibited" if inhibited else "not inhibited",
                                                    {True: "inhibited", False: "not inhibited", None: "missing"}[state]))
    if wrong:
        raise SystemExit("%d of %d alerts not as expected with %s" % (len(wrong), len(ALERTS), config))
    print("%d alerts posted, %d inhibited as expected, %d not inhibited as expected"
          % (len(ALERTS), sum(1 for _, i in ALERTS if i), sum(1 for _, i in ALERTS if not i)))


def self_test(binary, config):
    """The check notices each broken copy of config."""
    try:
        import yaml
    except ImportError:
        raise SystemExit("the self-test needs PyYAML: apt-get install python3-yaml (or pip install pyyaml)")
    with open(config) as source:
        shipped = yaml.safe_load(source)
    unnoticed = []
    with tempfile.TemporaryDirectory(prefix="llm-alertmanager-broken-") as work:
        for what, breaks in BROKEN:
            broken = json.loads(json.dumps(shipped))
            breaks(broken)
            if broken == shipped:
                raise SystemExit("self-test: breaking '%s' changed nothing in %s" % (what, config))
            path = os.path.join(work, "alertmanager.yml")
            with open(path, "w") as out:
                yaml.safe_dump(broken, out)
            # a broken copy settles as fast as the shipped one: 3 s are plenty to see it differ
            wrong = mismatches(inhibitions(binary, path, 3))
            print("self-test: %-62s %s" % (what, "noticed (%s)" % ", ".join(describe(l) for l, _, _ in wrong)
                                             if wrong else "NOT NOTICED"))
            if not wrong:
                unnoticed.append(what)
    if unnoticed:
        raise SystemExit("the inhibition test cannot tell these broken configurations from the shipped one: %s"
                         % "; ".join(unnoticed))
    print("self-test: every one of %d broken configurations noticed" % len(BROKEN))


def main():
    args = sys.argv[1:]
    mode = "both"
    if args and args[0] in ("--self-test", "--no-self-test"):
        mode = args.pop(0)
    config = args[0] if args else os.path.join(ROOT, "prometheus", "alertmanager.yml")
    binary = shutil.which("alertmanager") or shutil.which("prometheus-alertmanager")
    if not binary:
        raise SystemExit("no alertmanager binary (apt-get install prometheus-alertmanager)")
    if mode != "--self-test":
        check(binary, config)
    if mode != "--no-self-test":
        self_test(binary, config)


if __name__ == "__main__":
    main()
