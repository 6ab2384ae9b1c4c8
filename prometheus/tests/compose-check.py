#!/usr/bin/env python3
"""Static checks of docker-compose-monitoring.yml against prometheus/prometheus.yml.

  - every service's image is pinned: a tag other than "latest", or a digest;
  - every published port is bound to 127.0.0.1 (none of these services but Grafana has a login, and
    anyone who reaches Alertmanager can silence alerts); no service uses network_mode: host;
  - no service runs with --web.enable-lifecycle or --web.enable-admin-api (anyone who reaches
    Prometheus could shut it down or delete its data);
  - every bind-mounted file or folder of the repository exists (a missing one becomes an empty
    folder that Docker creates as root);
  - every job that Prometheus scrapes reaches a service of the file (static targets and DNS
    discovery names), the host's application (host.docker.internal) or Prometheus itself
    (localhost); a service of a profile (dcgm-exporter, profile gpu) is found by DNS discovery only,
    so that without its profile the job has no target rather than one that is down;
  - every service that serves metrics (node-exporter, dcgm-exporter, loki, alloy) is scraped.

--self-test runs the check on altered copies (an unpinned image, a port on every interface, a job
without a service, a profile's service as a static target) and fails unless each one is caught.

Usage: prometheus/tests/compose-check.py [--compose FILE] [--prometheus FILE] [--self-test]
Needs PyYAML (Debian: python3-yaml).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# services that expose metrics and must therefore be scraped
EXPORTERS = {"node-exporter", "dcgm-exporter", "loki", "alloy"}
# hosts a target may name that are not compose services
OTHER_HOSTS = {"host.docker.internal": "the application on the host", "localhost": "Prometheus itself"}
FORBIDDEN_FLAGS = ("--web.enable-lifecycle", "--web.enable-admin-api")
DEFAULTED = re.compile(r"\$\{\w+:-([^}]*)\}")


def image_problem(name, image):
    if not image:
        return "service %s has no image" % name
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "service %s: image %s has no tag (it means latest)" % (name, image)
    if last.rsplit(":", 1)[1] == "latest":
        return "service %s: image %s is not pinned" % (name, image)
    return None


def port_problems(name, ports):
    found = []
    for port in ports or []:
        if isinstance(port, dict):
            host_ip = port.get("host_ip")
            if port.get("published") is not None and host_ip != "127.0.0.1":
                found.append("service %s: port %s is published on %s, not 127.0.0.1" % (name, port, host_ip or "every interface"))
        else:
            parts = str(port).split(":")
            if len(parts) < 3 or parts[0] != "127.0.0.1":
                found.append("service %s: port %r is published on every interface, not 127.0.0.1" % (name, port))
    return found


def control_problems(name, service):
    found = []
    if service.get("network_mode") == "host":
        found.append("service %s: network_mode: host publishes every port on every interface" % name)
    words = []
    for key in ("command", "entrypoint"):
        value = service.get(key) or []
        words += value.split() if isinstance(value, str) else [str(word) for word in value]
    for word in words:
        if word.split("=")[0] in FORBIDDEN_FLAGS:
            found.append("service %s: %s lets anyone who reaches it control the server" % (name, word))
    return found


def mount_problems(name, volumes, base):
    found = []
    for volume in volumes or []:
        source = volume.get("source") if isinstance(volume, dict) else str(volume).split(":")[0]
        source = DEFAULTED.sub(lambda m: m.group(1), source or "")
        if source.startswith("./") and not os.path.exists(os.path.join(base, source)):
            found.append("service %s: bind mount %s does not exist in the repository" % (name, source))
    return found


def scrape_targets(prometheus):
    """{job: [(host, how)]} with how = "static" or "dns"."""
    jobs = {}
    for job in prometheus.get("scrape_configs") or []:
        hosts = []
        for static in job.get("static_configs") or []:
            for target in static.get("targets") or []:
                hosts.append((target.rsplit(":", 1)[0], "static"))
        for dns in job.get("dns_sd_configs") or []:
            for name in dns.get("names") or []:
                hosts.append((name, "dns"))
        jobs[job["job_name"]] = hosts
    return jobs


def problems(compose_file, prometheus_file):
    with open(compose_file) as source:
        compose = yaml.safe_load(source)
    with open(prometheus_file) as source:
        prometheus = yaml.safe_load(source)
    services = compose.get("services") or {}
    base = os.path.dirname(os.path.abspath(compose_file))
    found = []
    for name, service in services.items():
        problem = image_problem(name, service.get("image"))
        if problem:
            found.append(problem)
        found.extend(port_problems(name, service.get("ports")))
        found.extend(control_problems(name, service))
        found.extend(mount_problems(name, service.get("volumes"), base))
    scraped = set()
    for job, hosts in scrape_targets(prometheus).items():
        if not hosts:
            found.append("job %s has no target and no DNS name" % job)
        for host, how in hosts:
            if host in OTHER_HOSTS:
                continue
            if host not in services:
                found.append("job %s scrapes %s, which is no service of %s" % (job, host, os.path.basename(compose_file)))
                continue
            scraped.add(host)
            if services[host].get("profiles") and how != "dns":
                found.append("job %s names %s, a service of profile %s, as a static target: without the profile it is a "
                             "target that is down; use dns_sd_configs" % (job, host, ",".join(services[host]["profiles"])))
    for exporter in sorted(EXPORTERS & set(services) - scraped):
        found.append("service %s serves metrics but no job scrapes it" % exporter)
    return found


def self_test(compose_file, prometheus_file):
    if problems(compose_file, prometheus_file):
        return ["the unaltered files do not pass"]
    with open(compose_file) as source:
        compose_text = source.read()
    with open(prometheus_file) as source:
        prometheus_text = source.read()
    alterations = {
        "an unpinned image": (re.sub(r"image: prom/prometheus:\S+", "image: prom/prometheus:latest", compose_text),
                              prometheus_text),
        "a port on every interface": (compose_text.replace('"127.0.0.1:9090:9090"', '"9090:9090"'), prometheus_text),
        "the lifecycle API": (compose_text.replace("- --config.file=/etc/prometheus/prometheus.yml",
                                                   "- --config.file=/etc/prometheus/prometheus.yml\n      - --web.enable-lifecycle", 1),
                              prometheus_text),
        "host networking": (compose_text.replace("    ports: [\"127.0.0.1:9090:9090\"]",
                                                 "    network_mode: host\n    ports: [\"127.0.0.1:9090:9090\"]", 1),
                            prometheus_text),
        "a job without a service": (compose_text, prometheus_text.replace('"node-exporter:9100"', '"node-exporterr:9100"')),
        "a profile's service as a static target": (compose_text, prometheus_text.replace(
            'dns_sd_configs:\n      - names: ["dcgm-exporter"]\n        type: A\n        port: 9400',
            'static_configs:\n      - targets: ["dcgm-exporter:9400"]')),
    }
    missed = []
    for what, (compose_copy, prometheus_copy) in alterations.items():
        if compose_copy == compose_text and prometheus_copy == prometheus_text:
            missed.append("self-test could not make: " + what)
            continue
        with tempfile.TemporaryDirectory(prefix="llm-compose-check-", dir=os.path.dirname(os.path.abspath(compose_file))) as work:
            # in the repository, so that the bind mounts resolve as they do for the real file
            altered_compose = os.path.join(os.path.dirname(os.path.abspath(compose_file)),
                                           os.path.basename(work) + "-compose.yml")
            altered_prometheus = os.path.join(work, "prometheus.yml")
            try:
                with open(altered_compose, "w") as out:
                    out.write(compose_copy)
                with open(altered_prometheus, "w") as out:
                    out.write(prometheus_copy)
                result = subprocess.run([sys.executable, os.path.abspath(__file__), "--compose", altered_compose,
                                         "--prometheus", altered_prometheus], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
            finally:
                os.remove(altered_compose)
        if result.returncode == 0:
            missed.append("not caught: " + what)
        else:
            print("caught, %s: %s" % (what, result.stdout.strip().splitlines()[0]))
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compose", default=os.path.join(ROOT, "docker-compose-monitoring.yml"))
    parser.add_argument("--prometheus", default=os.path.join(ROOT, "prometheus", "prometheus.yml"))
    parser.add_argument("--self-test", action="store_true", help="check that the check catches each kind of mistake")
    args = parser.parse_args()
    found = self_test(args.compose, args.prometheus) if args.self_test else problems(args.compose, args.prometheus)
    for problem in found:
        print(problem)
    if found:
        return 1
    if not args.self_test:
        print("compose: every image pinned, every port on 127.0.0.1, no lifecycle or admin API, no host network, every bind mount present, every scrape job "
              "has its service, every exporter is scraped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
