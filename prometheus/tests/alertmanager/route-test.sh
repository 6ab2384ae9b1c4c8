#!/usr/bin/env bash
# The routing tree of prometheus/alertmanager.yml, one case per severity, with amtool:
# critical pages and goes to the chat, warning goes to the chat, info by e-mail, an alert without a
# known severity (another source in a shared Alertmanager) to the chat. Also amtool check-config,
# with and without the secret files that the receivers read (they are read at send time only).
# Usage: prometheus/tests/alertmanager/route-test.sh [alertmanager.yml]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
config="${1:-$root/prometheus/alertmanager.yml}"

amtool check-config "$config" >/dev/null

# the same configuration with every secret file present (dummy values, deleted on exit)
secrets="$(mktemp -d)"
trap 'rm -rf "$secrets"' EXIT
for file in $(grep -o '/etc/alertmanager/secrets/[A-Za-z0-9_.-]*' "$config" | sort -u); do
  echo "dummy-$(basename "$file")" >"$secrets/$(basename "$file")"
done
sed "s#/etc/alertmanager/secrets/#$secrets/#g" "$config" >"$secrets/alertmanager.yml"
amtool check-config "$secrets/alertmanager.yml" >/dev/null

failures=0
expect() {
  local receivers="$1"
  shift
  if amtool config routes test --config.file="$config" --verify.receivers="$receivers" "$@" >/dev/null 2>&1; then
    echo "ok    $* -> $receivers"
  else
    echo "FAIL  $* -> expected $receivers, got $(amtool config routes test --config.file="$config" "$@" 2>/dev/null || true)"
    failures=$((failures + 1))
  fi
}

expect pager,chat alertname=ServiceHttpServerErrorRatioHigh severity=critical component=llm-monitor namespace=prod application=chat
expect pager,chat alertname=LlmAvailabilityErrorBudgetBurnFast severity=critical slo=availability namespace=prod application=chat
expect chat alertname=LlmHighErrorRatio severity=warning component=llm-monitor namespace=prod application=chat model=gpt-4o
expect chat alertname=JvmHeapUsageHigh severity=warning component=llm-monitor namespace=prod application=chat
expect mail alertname=GpuIdle severity=info component=llm-monitor gpu=0
expect chat alertname=NodeFilesystemAlmostFull instance=node-1:9100
expect chat alertname=SomethingElse severity=page

if [ "$failures" -ne 0 ]; then
  echo "$failures routing case(s) failed"
  exit 1
fi
echo "routing tree: every severity reaches its receivers"
