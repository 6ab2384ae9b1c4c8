#!/usr/bin/env python3
"""Mutation check of the shipped Prometheus rules: do the promtool tests catch one-spot mistakes?

Each mutant changes one spot of one rule file (every prometheus/rules/*.yml, files added later
included):
  - a numeric constant of an expression doubled, or halved;
  - a range window ([5m]) or an offset (offset 5m) swapped for the next standard window (30m);
  - a comparison operator flipped (> <, >= <=, == !=);
  - "and" turned into "or", and "or" into "and";
  - a "for:" removed, or quadrupled;
  - the label "namespace" dropped from a "by (...)" (with --all-by-labels: each label of each
    "by (...)" and "without (...)").
A mutant is kept only if `promtool check rules` accepts it; it is killed when `promtool test rules`
fails on one of the test files (prometheus/tests/*.yml) that load the mutated rule file (their
"rule_files:"), and of those only the test groups that name the mutated rule or a rule that reads
it, directly or through other rules (an alertname, a recorded series in an expr): the others
cannot see it and are not run. The check fails when fewer than 90% of
the kept mutants are killed, and prints the survivors; a rule file that no test file loads fails it.

Usage: prometheus/tests/mutation-check.py [--jobs N] [--list] [--min-ratio 0.9] [--only TEXT]
                                          [--all-by-labels] [RULE_FILE...]
"""
import argparse
import concurrent.futures
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RULES = os.path.join(ROOT, "prometheus", "rules")
TESTS = os.path.join(ROOT, "prometheus", "tests")

# the next standard window of each range window
NEXT_WINDOW = {"1m": "5m", "5m": "30m", "10m": "30m", "30m": "1h", "1h": "2h", "2h": "6h",
               "6h": "1d", "1d": "3d", "3d": "7d"}
FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "!=", "!=": "=="}

# Mutants that no test can kill because they do not change what the rule means, each with its
# reason: a regular expression that the mutated line matches from the mutated spot on, and why.
EQUIVALENT = [
    (re.compile(r"^\w+\]\)\) \* 0\b"),
     "the window of the zero-filling branch of 'errors or total * 0': that branch only supplies label "
     "sets the denominator also has (its window is not shorter), and its value is 0 whatever the window"),
]

NUMBER = re.compile(r"(?<![\w.:$])(\d+(?:\.\d+)?)(?![\w.])")
WINDOW = re.compile(r"\[(\d+[smhdwy])\]")
COMPARISON = re.compile(r"(?<![=!<>~])(>=|<=|==|!=|>|<)(?![=~])")
LOGICAL = re.compile(r"\b(and|or)\b")
OFFSET = re.compile(r"\boffset\s+(\d+[smhdwy])\b")
GROUPING = re.compile(r"\b(by|without)\s*\(([^()]*)\)")


def code_spans(line):
    """(start, end) spans of the line outside quotes and label matchers ({...})."""
    spans, start, depth, quote = [], 0, 0, None
    for i, char in enumerate(line):
        if quote:
            if char == quote and line[i - 1] != "\\":
                quote = None
                start = i + 1
            continue
        if char in "\"'":
            if depth == 0:
                spans.append((start, i))
            quote = char
        elif char == "{":
            if depth == 0:
                spans.append((start, i))
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                start = i + 1
    if depth == 0 and not quote:
        spans.append((start, len(line)))
    return spans


def fmt(value):
    text = ("%.10f" % value).rstrip("0").rstrip(".")
    return text if text else "0"


def expression_lines(lines):
    """Indexes of the lines that hold PromQL, and offset of the PromQL on each."""
    result, block_indent = [], None
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if stripped and indent <= block_indent:
                block_indent = None
            else:
                if stripped:
                    result.append((index, indent))
                continue
        match = re.match(r"^(\s*)expr:\s*(.*)$", line)
        if match:
            if match.group(2).strip() in ("|", ">", "|-", ">-"):
                block_indent = len(match.group(1))
            else:
                result.append((index, line.index("expr:") + 5))
    return result


def rule_name(lines, index):
    """The alert or record that line index belongs to."""
    for line in reversed(lines[:index + 1]):
        match = re.match(r"^\s*- (?:alert|record):\s*(\S+)", line)
        if match:
            return match.group(1)
    return ""


def mutants_of(path, all_by_labels=False):
    """(description, mutated text, name of the mutated rule) of each mutant of a rule file."""
    with open(path) as source:
        lines = source.read().split("\n")
    name = os.path.basename(path)
    found = []

    def add(index, start, end, replacement, description):
        mutated = list(lines)
        line = lines[index]
        mutated[index] = line[:start] + replacement + line[end:]
        if mutated[index] != line:
            reason = next((why for pattern, why in EQUIVALENT
                           if pattern.search(mutated[index][start:])), None)
            found.append(("%s:%d: %s" % (name, index + 1, description), "\n".join(mutated), rule_name(lines, index),
                          reason))

    for index, offset in expression_lines(lines):
        line = lines[index]
        for span_start, span_end in code_spans(line):
            span_start = max(span_start, offset)
            if span_start >= span_end:
                continue
            code = line[span_start:span_end]
            for match in NUMBER.finditer(code):
                # a number inside a range window or a name is not a constant
                before = code[:match.start()]
                if before.rstrip().endswith("[") or before.endswith("_"):
                    continue
                value = float(match.group(1))
                for factor, word in ((2, "doubled"), (0.5, "halved")):
                    if value * factor != value:
                        add(index, span_start + match.start(1), span_start + match.end(1), fmt(value * factor),
                            "%s %s to %s" % (match.group(1), word, fmt(value * factor)))
            for match in WINDOW.finditer(code):
                window = match.group(1)
                if window in NEXT_WINDOW:
                    add(index, span_start + match.start(1), span_start + match.end(1), NEXT_WINDOW[window],
                        "[%s] to [%s] (column %d)" % (window, NEXT_WINDOW[window], span_start + match.start() + 1))
            for match in COMPARISON.finditer(code):
                operator = match.group(1)
                add(index, span_start + match.start(1), span_start + match.end(1), FLIP[operator],
                    "%s flipped to %s (column %d)" % (operator, FLIP[operator], span_start + match.start() + 1))
            for match in OFFSET.finditer(code):
                window = match.group(1)
                if window in NEXT_WINDOW:
                    add(index, span_start + match.start(1), span_start + match.end(1), NEXT_WINDOW[window],
                        "offset %s to offset %s (column %d)" % (window, NEXT_WINDOW[window], span_start + match.start() + 1))
            for match in GROUPING.finditer(code):
                labels = [label.strip() for label in match.group(2).split(",") if label.strip()]
                for label in labels:
                    if label == "namespace" or all_by_labels:
                        rest = ", ".join(other for other in labels if other != label)
                        add(index, span_start + match.start(2), span_start + match.end(2), rest,
                            "%s (...) without %s (column %d)" % (match.group(1), label, span_start + match.start() + 1))
            for match in LOGICAL.finditer(code):
                other = "or" if match.group(1) == "and" else "and"
                add(index, span_start + match.start(1), span_start + match.end(1), other,
                    "%s to %s (column %d)" % (match.group(1), other, span_start + match.start() + 1))
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*)for:\s*(\d+)([smh])\s*$", line)
        if match:
            mutated = list(lines)
            del mutated[index]
            found.append(("%s:%d: for: %s%s removed" % (name, index + 1, match.group(2), match.group(3)),
                          "\n".join(mutated), rule_name(lines, index), None))
            add(index, 0, len(line), "%sfor: %d%s" % (match.group(1), int(match.group(2)) * 4, match.group(3)),
                "for: %s%s quadrupled" % (match.group(2), match.group(3)))
    return found


def run(command, cwd, timeout=300):
    try:
        return subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        return -1


def test_files():
    return sorted(name for name in os.listdir(TESTS) if name.endswith((".yml", ".yaml")))


def rule_files():
    return sorted(name for name in os.listdir(RULES) if name.endswith((".yml", ".yaml")))


def loaded_rule_files(test_file):
    """The rule files (paths) that a promtool test file loads: its "rule_files:" list, globs expanded."""
    entries, inside = [], False
    with open(os.path.join(TESTS, test_file)) as source:
        for line in source:
            flow = re.match(r"^rule_files:\s*\[(.*)\]\s*$", line)
            if flow:
                entries.extend(entry.strip().strip("'\"") for entry in flow.group(1).split(",") if entry.strip())
                continue
            if re.match(r"^rule_files:\s*$", line):
                inside = True
                continue
            if inside:
                match = re.match(r"^\s+-\s*['\"]?([^'\"#]+?)['\"]?\s*(#.*)?$", line)
                if match:
                    entries.append(match.group(1))
                elif line.strip() and not line.lstrip().startswith("#"):
                    inside = False
    loaded = set()
    for entry in entries:
        pattern = os.path.normpath(os.path.join(TESTS, entry))
        for rule_file in rule_files():
            if fnmatch.fnmatch(os.path.join(RULES, rule_file), pattern):
                loaded.add(rule_file)
    return loaded


def rule_blocks():
    """{rule name: text of its rule (expr, labels, annotations)} over every rule file."""
    blocks = {}
    for rule_file in rule_files():
        name, text = None, []
        with open(os.path.join(RULES, rule_file)) as source:
            for line in source:
                match = re.match(r"^\s*- (?:alert|record):\s*(\S+)", line)
                if match:
                    if name:
                        blocks[name] = blocks.get(name, "") + "".join(text)
                    name, text = match.group(1), []
                elif name:
                    text.append(line)
        if name:
            blocks[name] = blocks.get(name, "") + "".join(text)
    return blocks


def mentions(text, name):
    return re.search(r"(?<![\w:])%s(?![\w:])" % re.escape(name), text) is not None


def readers(rule, blocks=None):
    """The rule and every rule that reads its series, directly or through other rules."""
    blocks = rule_blocks() if blocks is None else blocks
    found, pending = {rule}, [rule]
    while pending:
        name = pending.pop()
        for other, text in blocks.items():
            if other not in found and mentions(text, name):
                found.add(other)
                pending.append(other)
    return found


def test_groups(text):
    """(head, [group], tail) of a promtool test file: everything up to "tests:", the text of each
    test group (comments and blank lines between groups belong to the next) and what follows the
    last group."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(r"^tests:\s*$", line)), None)
    if start is None:
        return text, [], ""
    groups, pending, end = [], [], len(lines)
    for i in range(start + 1, len(lines)):
        line = lines[i]
        indent = len(line) - len(line.lstrip())
        if re.match(r"^[A-Za-z_]\w*\s*:", line):
            end = i
            break
        if re.match(r"^\s{0,2}-(\s|$)", line):
            groups.append(pending + [line])
            pending = []
        elif not groups or not line.strip() or (line.lstrip().startswith("#") and indent <= 2):
            pending.append(line)
        else:
            groups[-1].extend(pending + [line])
            pending = []
    head = "\n".join(lines[:start + 1]) + "\n"
    tail = "\n".join(pending + lines[end:])
    return head, ["\n".join(group) + "\n" for group in groups], tail


def tests_that_see(files, rule, blocks=None):
    """{test file: its text with only the test groups that can see a mutant of this rule}: the
    groups that name the rule or one of its readers (alertname:, a series in an expr). A group that
    names none of them compares only series and alerts that the mutant leaves alone and cannot
    fail on it (each group has its own series and evaluation); one that selects by __name__ or
    reads ALERTS is always kept. Files left without a group are not run."""
    names = readers(rule, blocks) if rule else None
    seeing = {}
    for name in files:
        with open(os.path.join(TESTS, name)) as source:
            text = source.read()
        head, groups, tail = test_groups(text)
        if names is None or not groups:
            seeing[name] = text
            continue
        kept = [group for group in groups if "__name__" in group or "ALERTS" in group
                or any(mentions(group, other) for other in names)]
        if kept:
            seeing[name] = head + "".join(kept) + tail
    return seeing


def test_order(files, rule):
    """The test files that test the mutated rule (alertname: RULE, expr: RULE) first, then those that
    name it, then the others, the cheapest first within each: a killed mutant stops at its first
    failing file (only the time changes, not the verdict)."""
    texts = {}
    for name in files:
        with open(os.path.join(TESTS, name)) as source:
            texts[name] = source.read()
    direct = re.compile(r"^\s*-?\s*(?:alertname|expr):\s*%s\s*$" % re.escape(rule), re.MULTILINE)
    return sorted(files, key=lambda name: (not direct.search(texts[name]), rule not in texts[name],
                                           len(texts[name])))


def check_mutant(rule_file, text, files, tests=None):
    """('invalid', 'killed' or 'survived', number of promtool test runs); tests: the text to run of
    each test file (tests_that_see), by default the whole file."""
    with tempfile.TemporaryDirectory(prefix="llm-mutant-") as work:
        shutil.copytree(RULES, os.path.join(work, "rules"))
        os.mkdir(os.path.join(work, "tests"))
        for name in files:
            if tests is None:
                shutil.copy(os.path.join(TESTS, name), os.path.join(work, "tests", name))
            else:
                with open(os.path.join(work, "tests", name), "w") as out:
                    out.write(tests[name])
        target = os.path.join(work, "rules", rule_file)
        with open(target, "w") as out:
            out.write(text)
        if run(["promtool", "check", "rules", target], work) != 0:
            return "invalid", 0
        for runs, name in enumerate(files, 1):
            if run(["promtool", "test", "rules", os.path.join("tests", name)], work) != 0:
                return "killed", runs
        return "survived", len(files)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--min-ratio", type=float, default=0.9)
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--only", help="run only the mutants whose description contains this")
    parser.add_argument("--all-by-labels", action="store_true",
                        help="drop each label of each by (...), not only namespace (slow)")
    parser.add_argument("rule_files", nargs="*", help="mutate only these files of prometheus/rules (default: all)")
    args = parser.parse_args()

    started = time.time()
    files = test_files()
    loads = {name: loaded_rule_files(name) for name in files}
    selected = [os.path.basename(name) for name in args.rule_files] or rule_files()
    unknown = [name for name in selected if name not in rule_files()]
    if unknown:
        print("no such rule file in %s: %s" % (RULES, ", ".join(unknown)))
        return 1
    untested = [name for name in selected if not any(name in loaded for loaded in loads.values())]
    if untested:
        print("no test file in %s loads %s: add one (rule_files: [../rules/...])" % (TESTS, ", ".join(untested)))
        return 1
    mutants = []
    for rule_file in selected:
        for description, text, rule, reason in mutants_of(os.path.join(RULES, rule_file), args.all_by_labels):
            mutants.append((rule_file, description, text, rule, reason))
    if args.only:
        mutants = [m for m in mutants if args.only in m[1]]
    if args.list:
        for _, description, _, _, reason in mutants:
            print(description + (" (equivalent)" if reason else ""))
        print("%d mutants" % len(mutants))
        return 0
    if run(["promtool", "test", "rules"] + [os.path.join(TESTS, name) for name in files], ROOT) != 0:
        print("the tests fail on the unchanged rules: fix them first")
        return 1
    excluded = [m for m in mutants if m[4]]
    mutants = [m for m in mutants if not m[4]]

    results, test_runs = {}, 0
    blocks = rule_blocks()

    def submit(pool, rule_file, text, rule):
        tests = tests_that_see([name for name in files if rule_file in loads[name]], rule, blocks)
        return pool.submit(check_mutant, rule_file, text, test_order(list(tests), rule), tests)

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {submit(pool, rule_file, text, rule): description
                   for rule_file, description, text, rule, _ in mutants}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            results[futures[future]], runs = future.result()
            test_runs += runs
            if done % 50 == 0:
                print("  %d of %d mutants checked, %.0f s" % (done, len(futures), time.time() - started), flush=True)

    kept = [d for d in results if results[d] != "invalid"]
    killed = [d for d in kept if results[d] == "killed"]
    survivors = sorted((d for d in kept if results[d] == "survived"), key=sort_key)
    invalid = len(results) - len(kept)
    ratio = len(killed) / len(kept) if kept else 1.0
    print("mutants: %d generated, %d rejected by promtool check rules, %d excluded as equivalent, %d kept"
          % (len(results) + len(excluded), invalid, len(excluded), len(kept)))
    for reasons in sorted(set(m[4] for m in excluded)):
        print("  excluded as equivalent (%s):" % reasons)
        for description in sorted((m[1] for m in excluded if m[4] == reasons), key=sort_key):
            print("    %s" % description)
    for description in survivors:
        print("  SURVIVED  %s" % description)
    print("killed %d of %d: %.1f%% (minimum %.0f%%), %.0f s with %d jobs, %d runs of promtool test rules"
          % (len(killed), len(kept), 100 * ratio, 100 * args.min_ratio, time.time() - started, args.jobs, test_runs))
    return 0 if ratio >= args.min_ratio else 1


def sort_key(description):
    name, line, rest = description.split(":", 2)
    return (name, int(line), rest)


if __name__ == "__main__":
    sys.exit(main())
