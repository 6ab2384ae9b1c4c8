#!/usr/bin/env python3
"""The inhibitions of prometheus/alertmanager.yml against a live Alertmanager.

Starts `alertmanager` (Debian: `prometheus-alertmanager`) on a free loopback port with the shipped
configuration, posts alerts through its API (/api/v2/alerts) and checks which ones it inhibits:
a down application silences its own alerts only (same namespace and application, alerts of
llm-monitor only), a fast burn silences the slow burn of the same SLO only, and nothing silences
alerts of other sources (NodeFilesystemAlmostFull...). Every wait is bounded; the process is
always stopped.

Usage: prometheus/tests/alertmanager/inhibition-test.py [alertmanager.yml]
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


def main():
    config = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "prometheus", "alertmanager.yml")
    binary = shutil.which("alertmanager") or shutil.which("prometheus-alertmanager")
    if not binary:
        raise SystemExit("no alertmanager binary (apt-get install prometheus-alertmanager)")
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    with tempfile.TemporaryDirectory(prefix="llm-alertmanager-") as work:
        log = open(os.path.join(work, "alertmanager.log"), "w")
        process = subprocess.Popen([binary, "--config.file=" + config, "--storage.path=" + work,
                                    "--web.listen-address=127.0.0.1:%d" % port, "--cluster.listen-address="],
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: request(url + "/api/v2/status")["config"], 30, "Alertmanager to start")
            now = datetime.datetime.now(datetime.timezone.utc)
            ends = (now + datetime.timedelta(hours=1)).isoformat()
            request(url + "/api/v2/alerts", [{"labels": labels, "startsAt": now.isoformat(), "endsAt": ends}
                                              for labels, _ in ALERTS])

            def states():
                got = {json.dumps(a["labels"], sort_keys=True): bool(a["status"]["inhibitedBy"])
                       for a in request(url + "/api/v2/alerts")}
                expected = {json.dumps(labels, sort_keys=True): inhibited for labels, inhibited in ALERTS}
                return got if got == expected else None

            try:
                wait_until(states, 15, "the expected inhibitions")
            except SystemExit:
                got = {json.dumps(a["labels"], sort_keys=True): bool(a["status"]["inhibitedBy"])
                       for a in request(url + "/api/v2/alerts")}
                for labels, inhibited in ALERTS:
                    state = got.get(json.dumps(labels, sort_keys=True))
                    mark = "ok  " if state == inhibited else "FAIL"
                    print("%s %-36s expected %-13s got %s" % (mark, labels["alertname"] + " " + labels.get("namespace", "")
                          + " " + labels.get("application", ""), "inhibited" if inhibited else "not inhibited",
                          {True: "inhibited", False: "not inhibited", None: "missing"}[state]))
                raise
            print("%d alerts posted, %d inhibited as expected, %d not inhibited as expected"
                  % (len(ALERTS), sum(1 for _, i in ALERTS if i), sum(1 for _, i in ALERTS if not i)))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            log.close()


if __name__ == "__main__":
    main()
