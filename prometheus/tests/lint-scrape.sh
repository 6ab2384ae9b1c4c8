#!/usr/bin/env bash
# Every llm_* family of a real scrape passes promtool's lint (help text, names, units): runs the
# sample application's jar with its demo traffic on a free loopback port, scrapes
# /actuator/prometheus once it has streamed and failed a call, and runs `promtool check metrics`.
# .ci/run calls it after `./mvnw -B verify`; alone, build the jar first:
#   ./mvnw -B -pl sample-app -am package -DskipTests && prometheus/tests/lint-scrape.sh
# Usage: prometheus/tests/lint-scrape.sh [sample-app jar]
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in java curl promtool; do
  if ! command -v "$tool" >/dev/null; then
    echo "lint-scrape.sh needs $tool (Debian: apt-get install prometheus curl, and a JDK)" >&2
    exit 2
  fi
done
sample_jar="${1:-$(ls sample-app/target/llm-monitor-sample-app-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n 1 || true)}"
if [ -z "$sample_jar" ] || [ ! -f "$sample_jar" ]; then
  echo "no sample-app jar: build it with ./mvnw -B -pl sample-app -am package -DskipTests" >&2
  exit 2
fi

port=18080
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
  port=$((port + 1))
done
sample_log="$(mktemp)"
scrape="$(mktemp)"
java -jar "$sample_jar" --server.address=127.0.0.1 --server.port="$port" --spring.profiles.active=demo \
  >"$sample_log" 2>&1 &
sample_pid=$!
trap 'kill "$sample_pid" 2>/dev/null || true; wait "$sample_pid" 2>/dev/null || true; rm -f "$sample_log" "$scrape"' EXIT
scraped=false
for _ in $(seq 1 120); do
  if ! kill -0 "$sample_pid" 2>/dev/null; then
    break
  fi
  if curl -fsS -o "$scrape" "http://127.0.0.1:$port/actuator/prometheus" 2>/dev/null \
      && grep -q '^llm_time_per_output_token_seconds_bucket' "$scrape" \
      && grep -q '^llm_request_duration_seconds_count{.*status="error"' "$scrape" \
      && grep -q '^llm_endpoint_duration_seconds_count' "$scrape"; then
    scraped=true
    break
  fi
  sleep 1
done
if [ "$scraped" != true ]; then
  echo "The sample gave no scrape with streamed and failed calls within 120 s; its log ends with:"
  tail -n 40 "$sample_log"
  exit 1
fi
lint="$(promtool check metrics <"$scrape" 2>&1 || true)"
if grep -q 'llm_' <<<"$lint"; then
  echo "promtool check metrics finds fault with llm_* families:"
  grep 'llm_' <<<"$lint"
  exit 1
fi
echo "every llm_* family of $(grep -c '^# TYPE llm_' "$scrape") passes promtool check metrics"
