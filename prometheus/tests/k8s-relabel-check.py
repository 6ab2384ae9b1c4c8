#!/usr/bin/env python3
"""The relabelling of k8s/servicemonitor.yml, run by Prometheus itself (`promtool check
service-discovery`) on the labels Kubernetes service discovery gives a target: the target's
"application" is the Service's label app.kubernetes.io/name, else the pod's, else the Service's
name (a target without "application" would leave LlmApplicationDown and the inhibitions without
one), and its job is llm-apps (the alert rules match it).

Needs promtool (Debian: prometheus) and PyYAML (python3-yaml).
Usage: prometheus/tests/k8s-relabel-check.py [servicemonitor.yml]
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("k8s-relabel-check.py needs PyYAML: apt-get install python3-yaml (or pip install pyyaml)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICE_LABEL = "__meta_kubernetes_service_label_app_kubernetes_io_name"
POD_LABEL = "__meta_kubernetes_pod_label_app_kubernetes_io_name"

# (discovered labels of a target, expected "application")
CASES = [
    ({"__meta_kubernetes_service_name": "chat-svc", SERVICE_LABEL: "chat", POD_LABEL: "chat-pod"}, "chat"),
    ({"__meta_kubernetes_service_name": "search-svc", POD_LABEL: "search"}, "search"),
    ({"__meta_kubernetes_service_name": "summarize"}, "summarize"),
    ({"__meta_kubernetes_service_name": "translate-svc", SERVICE_LABEL: "", POD_LABEL: ""}, "translate-svc"),
]

# ServiceMonitor (prometheus-operator) field names -> Prometheus relabel_config field names
FIELDS = {"sourceLabels": "source_labels", "targetLabel": "target_label", "regex": "regex",
          "replacement": "replacement", "action": "action", "separator": "separator", "modulus": "modulus"}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "k8s", "servicemonitor.yml")
    with open(path) as source:
        monitor = yaml.safe_load(source)
    endpoints = monitor["spec"]["endpoints"]
    failures = []
    for number, endpoint in enumerate(endpoints):
        relabel = [{FIELDS[key]: value for key, value in rule.items()} for rule in endpoint.get("relabelings", [])]
        config = {"scrape_configs": [{
            "job_name": "servicemonitor",
            "static_configs": [{"targets": ["10.0.0.%d:8080" % (index + 1)], "labels": labels}
                               for index, (labels, _) in enumerate(CASES)],
            "relabel_configs": relabel}]}
        with tempfile.NamedTemporaryFile("w", suffix=".yml") as file:
            yaml.safe_dump(config, file)
            file.flush()
            result = subprocess.run(["promtool", "check", "service-discovery", "--timeout=2s", file.name,
                                     "servicemonitor"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    timeout=60)
        if result.returncode != 0:
            sys.exit("promtool check service-discovery failed: %s%s" % (result.stdout, result.stderr))
        targets = {target["labels"]["__address__"]: target["labels"] for target in json.loads(result.stdout)}
        for index, (labels, expected) in enumerate(CASES):
            got = targets.get("10.0.0.%d:8080" % (index + 1), {})
            for name, value in (("application", expected), ("job", "llm-apps")):
                if got.get(name) != value:
                    failures.append("endpoint %d, target %s: %s is %r, expected %r"
                                    % (number, json.dumps(labels, sort_keys=True), name, got.get(name), value))
    for failure in failures:
        print("FAIL " + failure)
    print("%s: %d endpoint(s), %d targets, %d failures" % (os.path.relpath(path), len(endpoints), len(CASES),
                                                            len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
