#!/usr/bin/env python3
"""Tests of prometheus/tests/mutation-check.py on rule and test files made up here (no promtool):
which mutants it makes, and which test files it runs for a mutated rule file.

Usage: python3 prometheus/tests/mutation-check-test.py
"""
import importlib.util
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("mutation_check", os.path.join(HERE, "mutation-check.py"))
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

RULES = """groups:
  - name: g
    rules:
      - alert: A
        expr: |
          sum by (namespace, application) (rate(x_total{status="error"}[5m])) > 0.05
          and on (namespace, application)
          sum by (namespace, application) (rate(x_total[5m] offset 1h)) >= 2
        for: 10m
        annotations:
          summary: "above 0.05 for 10m"
"""


class MutationCheckTests(unittest.TestCase):

    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.addCleanup(self.work.cleanup)
        self.rules = os.path.join(self.work.name, "rules")
        self.tests = os.path.join(self.work.name, "tests")
        os.mkdir(self.rules)
        os.mkdir(self.tests)
        self.old = (check.RULES, check.TESTS)
        check.RULES, check.TESTS = self.rules, self.tests
        self.addCleanup(self.restore)

    def restore(self):
        check.RULES, check.TESTS = self.old

    def write(self, directory, name, text):
        with open(os.path.join(directory, name), "w") as out:
            out.write(text)
        return os.path.join(directory, name)

    def descriptions(self, **options):
        path = self.write(self.rules, "a.yml", RULES)
        return [description.split(": ", 1)[1] for description, _, _, _ in check.mutants_of(path, **options)]

    def test_every_kind_of_mutant(self):
        found = self.descriptions()
        for expected in ("0.05 doubled to 0.1", "0.05 halved to 0.025", "2 doubled to 4", "2 halved to 1",
                         "[5m] to [30m] (column 72)", "[5m] to [30m] (column 56)", "offset 1h to offset 2h (column 61)",
                         "> flipped to < (column 79)",
                         ">= flipped to <= (column 73)", "and to or (column 11)", "for: 10m removed",
                         "for: 10m quadrupled", "by (...) without namespace (column 15)"):
            self.assertIn(expected, found)
        # annotations, label matchers and range windows are not constants
        self.assertFalse([d for d in found if d.startswith(("10 ", "1 ", "5 "))], found)
        self.assertNotIn("by (...) without application (column 15)", found)

    def test_all_by_labels(self):
        self.assertIn("by (...) without application (column 15)", self.descriptions(all_by_labels=True))

    def test_rule_files_added_later_are_mutated(self):
        self.write(self.rules, "b.yml", RULES)
        self.write(self.rules, "notes.txt", "")
        self.assertEqual(check.rule_files(), ["b.yml"])

    def test_only_the_test_files_that_load_a_rule_file(self):
        self.write(self.rules, "a.yml", RULES)
        self.write(self.rules, "b.yml", RULES)
        self.write(self.tests, "a-test.yml", "rule_files:\n  - ../rules/a.yml\n\ntests: []\n")
        self.write(self.tests, "both-test.yml", "rule_files:\n  - '../rules/*.yml'  # all of them\nevaluation_interval: 1m\n")
        self.write(self.tests, "flow-test.yml", "rule_files: [../rules/b.yml]\n")
        self.assertEqual(check.loaded_rule_files("a-test.yml"), {"a.yml"})
        self.assertEqual(check.loaded_rule_files("both-test.yml"), {"a.yml", "b.yml"})
        self.assertEqual(check.loaded_rule_files("flow-test.yml"), {"b.yml"})

    def test_only_the_test_groups_that_can_see_the_mutated_rule(self):
        self.write(self.rules, "r.yml", """groups:
  - name: g
    rules:
      - record: app:x:rate5m
        expr: sum by (namespace) (rate(x_total[5m]))
      - record: app:x:ratio
        expr: app:x:rate5m / 2
      - alert: XHigh
        expr: app:x:ratio > 1
      - record: app:x:rate5m_unused
        expr: sum by (namespace) (rate(y_total[5m]))
""")
        head = "rule_files:\n  - ../rules/r.yml\nevaluation_interval: 1m\ntests:\n"
        alert = "  # the alert\n  - interval: 1m\n    input_series: []\n\n    alert_rule_test:\n      - alertname: XHigh\n"
        unused = "  - interval: 1m\n    promql_expr_test:\n      # another series\n      - expr: app:x:rate5m_unused\n"
        raw = "\n  - interval: 1m\n    promql_expr_test:\n      - expr: x_total\n"
        by_name = "  - interval: 1m\n    promql_expr_test:\n      - expr: '{__name__=~\"app:.*\"}'\n"
        self.write(self.tests, "alert-test.yml", head + alert + unused + raw)
        self.write(self.tests, "raw-test.yml", head + raw)
        self.write(self.tests, "name-test.yml", head + raw + by_name)
        files = ["alert-test.yml", "name-test.yml", "raw-test.yml"]
        self.assertEqual(check.test_groups(head + alert + unused + raw), (head, [alert, unused, raw], ""))
        self.assertEqual(check.readers("app:x:rate5m"), {"app:x:rate5m", "app:x:ratio", "XHigh"})
        # the recorded series is read by the alert, through the ratio; a file without such a group is not run
        self.assertEqual(check.tests_that_see(files, "app:x:rate5m"),
                         {"alert-test.yml": head + alert, "name-test.yml": head + by_name})
        # app:x:rate5m_unused is a longer name, not a reader
        self.assertEqual(check.tests_that_see(files, "app:x:rate5m_unused"),
                         {"alert-test.yml": head + unused, "name-test.yml": head + by_name})
        self.assertEqual(check.tests_that_see(files, "XHigh"),
                         {"alert-test.yml": head + alert, "name-test.yml": head + by_name})

if __name__ == "__main__":
    unittest.main()
