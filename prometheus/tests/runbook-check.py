#!/usr/bin/env python3
"""Every alert of prometheus/rules/*.yml with a runbook_url points at its own section of
docs/runbooks.md (https://github.com/llm-monitor/llm-monitor/blob/main/docs/runbooks.md#<name in
lower case>), and that section ("## <AlertName>") exists; every section names an alert. Lists the
alerts without a runbook_url.

Needs PyYAML (Debian: python3-yaml). Usage: prometheus/tests/runbook-check.py
"""
import glob
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("runbook-check.py needs PyYAML: apt-get install python3-yaml (or pip install pyyaml)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE = "https://github.com/llm-monitor/llm-monitor/blob/main/docs/runbooks.md#"


def main():
    alerts = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "prometheus", "rules", "*.y*ml"))):
        with open(path) as source:
            for group in yaml.safe_load(source).get("groups", []):
                for rule in group.get("rules", []):
                    if "alert" in rule:
                        alerts[rule["alert"]] = (rule.get("annotations") or {}).get("runbook_url")
    runbooks = os.path.join(ROOT, "docs", "runbooks.md")
    sections = []
    if os.path.exists(runbooks):
        with open(runbooks) as source:
            sections = re.findall(r"^## (\S+)\s*$", source.read(), re.MULTILINE)
    problems = []
    for name, url in sorted(alerts.items()):
        if url is None:
            continue
        if url != BASE + name.lower():
            problems.append("%s: runbook_url %s, expected %s" % (name, url, BASE + name.lower()))
        if name not in sections:
            problems.append("%s: no section '## %s' in docs/runbooks.md" % (name, name))
    for section in sections:
        if section not in alerts:
            problems.append("docs/runbooks.md: section '## %s' names no alert" % section)
    for problem in problems:
        print("FAIL " + problem)
    missing = sorted(name for name, url in alerts.items() if url is None)
    print("%d alerts, %d with a runbook section%s" % (len(alerts), len(alerts) - len(missing),
          (", without a runbook_url: " + ", ".join(missing)) if missing else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
