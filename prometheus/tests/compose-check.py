#!/usr/bin/env python3
"""Checks docker-compose-monitoring.yml for what must never reach other machines.

- Every published port of every service is bound to 127.0.0.1 (or ::1): Prometheus, Alertmanager,
  Grafana and Jaeger have no authentication worth the name on a developer's machine, and anyone who
  reaches Alertmanager can silence alerts.
- No service runs with --web.enable-lifecycle or --web.enable-admin-api (anyone who reaches
  Prometheus could shut it down or delete its data), and none uses network_mode: host (which
  publishes every port on every interface).

Reads the file with PyYAML (Debian: python3-yaml). `--self-test` checks the check on
compose files it must reject and accept.

Usage: prometheus/tests/compose-check.py [docker-compose-monitoring.yml] | --self-test
"""
import os
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("compose-check.py needs PyYAML: apt-get install python3-yaml (or pip install pyyaml)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOOPBACK = ("127.0.0.1", "::1", "[::1]", "localhost")
FORBIDDEN_FLAGS = ("--web.enable-lifecycle", "--web.enable-admin-api")


def short_port_host(spec):
    """The host address of a short port syntax ("127.0.0.1:9090:9090", "9090:9090", "9090"), or None."""
    spec = str(spec).split("/")[0]
    if spec.startswith("["):  # [::1]:9090:9090
        return spec[:spec.index("]") + 1]
    parts = spec.split(":")
    return parts[0] if len(parts) == 3 else None


def problems(compose):
    found = []
    for name, service in sorted((compose or {}).get("services", {}).items()):
        service = service or {}
        for port in service.get("ports", []) or []:
            host = port.get("host_ip") if isinstance(port, dict) else short_port_host(port)
            if host not in LOOPBACK:
                found.append("%s: port %s is published on every interface: bind it to 127.0.0.1" % (name, port))
        if service.get("network_mode") == "host":
            found.append("%s: network_mode: host publishes every port on every interface" % name)
        command = service.get("command") or []
        words = command.split() if isinstance(command, str) else [str(word) for word in command]
        entrypoint = service.get("entrypoint") or []
        words += entrypoint.split() if isinstance(entrypoint, str) else [str(word) for word in entrypoint]
        for word in words:
            if word.split("=")[0] in FORBIDDEN_FLAGS:
                found.append("%s: %s lets anyone who reaches it control the server" % (name, word))
    return found


SELF_TEST = [
    # (compose file, number of problems)
    ("services: {p: {ports: ['127.0.0.1:9090:9090']}}", 0),
    ("services: {p: {ports: ['[::1]:9090:9090', {target: 3000, published: 3000, host_ip: 127.0.0.1}]}}", 0),
    ("services: {p: {ports: ['9090:9090']}}", 1),
    ("services: {p: {ports: ['9090']}}", 1),
    ("services: {p: {ports: ['0.0.0.0:9090:9090/tcp']}}", 1),
    ("services: {p: {ports: [{target: 3000, published: 3000}]}}", 1),
    ("services: {p: {ports: ['127.0.0.1:9090:9090'], command: ['--web.enable-lifecycle']}}", 1),
    ("services: {p: {command: '--config.file=x --web.enable-admin-api=true'}}", 1),
    ("services: {p: {network_mode: host}}", 1),
]


def self_test():
    failures = 0
    for text, expected in SELF_TEST:
        got = problems(yaml.safe_load(text))
        if len(got) != expected:
            failures += 1
            print("self-test FAILED: %s: expected %d problems, got %s" % (text, expected, got))
    print("compose-check self-test: %d of %d cases as expected" % (len(SELF_TEST) - failures, len(SELF_TEST)))
    return 1 if failures else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "docker-compose-monitoring.yml")
    with open(path) as source:
        found = problems(yaml.safe_load(source))
    for problem in found:
        print("%s: %s" % (os.path.relpath(path), problem))
    if not found:
        print("%s: every port on 127.0.0.1, no lifecycle or admin API" % os.path.relpath(path))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
