#!/usr/bin/env python3
"""Every alert has a severity and a runbook, and every runbook an alert.

For every alert of every rule file in prometheus/rules/:
  - labels.severity is critical, warning or info;
  - annotations.runbook_url is
    https://github.com/llm-monitor/llm-monitor/blob/main/docs/runbooks.md#<alert name in lower case>
    (GitHub's anchor of the heading "## <AlertName>");
  - docs/runbooks.md has a section "## <AlertName>" with some text in it.
Every "## " section of docs/runbooks.md names an alert of a rule file (no orphan runbook), and no
alert name has two sections.

--self-test runs the check on altered copies (a section removed, an orphan section added, a wrong
runbook_url, a missing severity) and fails unless each one is caught.

Usage: prometheus/tests/runbook-check.py [--rules DIR] [--runbooks FILE] [--self-test]
Needs PyYAML (Debian: python3-yaml).
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNBOOK_BASE = "https://github.com/llm-monitor/llm-monitor/blob/main/docs/runbooks.md#"
SEVERITIES = ("critical", "warning", "info")
SECTION = re.compile(r"^## (.+?)\s*$")


def alerts(rules_dir):
    """(file name, alert rule) of every alert of every rule file."""
    found = []
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.yml"))):
        with open(path) as source:
            document = yaml.safe_load(source) or {}
        for group in document.get("groups") or []:
            for rule in group.get("rules") or []:
                if "alert" in rule:
                    found.append((os.path.basename(path), rule))
    return found


def sections(runbooks):
    """{heading: number of non-blank lines under it} of every "## " section, and the duplicates."""
    result, duplicates, current = {}, [], None
    with open(runbooks) as source:
        for line in source:
            match = SECTION.match(line)
            if match:
                current = match.group(1)
                if current in result:
                    duplicates.append(current)
                result[current] = 0
            elif line.startswith("# "):
                current = None
            elif current is not None and line.strip():
                result[current] += 1
    return result, duplicates


def problems(rules_dir, runbooks):
    found = []
    if not os.path.exists(runbooks):
        return ["%s does not exist" % runbooks]
    runbook_sections, duplicates = sections(runbooks)
    names = set()
    for file, rule in alerts(rules_dir):
        name = rule["alert"]
        names.add(name)
        where = "%s: %s" % (file, name)
        severity = (rule.get("labels") or {}).get("severity")
        if severity not in SEVERITIES:
            found.append("%s: severity %r is not one of %s" % (where, severity, ", ".join(SEVERITIES)))
        url = (rule.get("annotations") or {}).get("runbook_url")
        if url != RUNBOOK_BASE + name.lower():
            found.append("%s: runbook_url %r, expected %r" % (where, url, RUNBOOK_BASE + name.lower()))
        if name not in runbook_sections:
            found.append("%s: no section '## %s' in %s" % (where, name, os.path.relpath(runbooks, ROOT)))
        elif runbook_sections[name] == 0:
            found.append("%s: the section '## %s' is empty" % (where, name))
    for heading in runbook_sections:
        if heading not in names:
            found.append("%s: section '## %s' has no alert in %s" % (os.path.relpath(runbooks, ROOT), heading,
                                                                        os.path.relpath(rules_dir, ROOT)))
    for heading in duplicates:
        found.append("%s: two sections '## %s'" % (os.path.relpath(runbooks, ROOT), heading))
    return found


def self_test(rules_dir, runbooks):
    """Each alteration must be caught; the unaltered files must pass."""
    with open(runbooks) as source:
        text = source.read()
    first = re.search(r"^## (.+)$", text, re.M)
    if problems(rules_dir, runbooks):
        return ["the unaltered files do not pass"]
    alterations = {
        "a section removed": lambda work: replace_in(work["runbooks"], "## " + first.group(1) + "\n", "### gone\n"),
        "an orphan section added": lambda work: append_to(work["runbooks"], "\n## NoSuchAlert\n\nText.\n"),
        "a wrong runbook_url": lambda work: replace_in(first_rule_file(work["rules"]), "runbooks.md#", "runbooks.md#x", 1),
        "a severity removed": lambda work: replace_in(first_rule_file(work["rules"]), "severity:", "level:", 1),
    }
    missed = []
    for what, alter in alterations.items():
        with tempfile.TemporaryDirectory(prefix="llm-runbook-check-") as work:
            copy = {"rules": os.path.join(work, "rules"), "runbooks": os.path.join(work, "runbooks.md")}
            shutil.copytree(rules_dir, copy["rules"])
            shutil.copy(runbooks, copy["runbooks"])
            alter(copy)
            result = subprocess.run([sys.executable, os.path.abspath(__file__), "--rules", copy["rules"],
                                     "--runbooks", copy["runbooks"]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True)
            if result.returncode == 0:
                missed.append("not caught: " + what)
            else:
                print("caught, %s: %s" % (what, result.stdout.strip().splitlines()[0]))
    return missed


def first_rule_file(rules_dir):
    return sorted(glob.glob(os.path.join(rules_dir, "*.yml")), key=lambda p: "alert" not in os.path.basename(p))[0]


def replace_in(path, old, new, count=-1):
    with open(path) as source:
        text = source.read()
    if old not in text:
        raise SystemExit("self-test: %r not in %s" % (old, path))
    with open(path, "w") as out:
        out.write(text.replace(old, new, count))


def append_to(path, text):
    with open(path, "a") as out:
        out.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", default=os.path.join(ROOT, "prometheus", "rules"))
    parser.add_argument("--runbooks", default=os.path.join(ROOT, "docs", "runbooks.md"))
    parser.add_argument("--self-test", action="store_true", help="check that the check catches each kind of mistake")
    args = parser.parse_args()
    found = self_test(args.rules, args.runbooks) if args.self_test else problems(args.rules, args.runbooks)
    for problem in found:
        print(problem)
    if found:
        return 1
    if not args.self_test:
        print("%d alerts, each with a severity, a runbook_url and a section in %s; no orphan section"
              % (len(alerts(args.rules)), os.path.relpath(args.runbooks, ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
