#!/usr/bin/env bash
# The whole donorstream topology on one machine, without Docker, as a cluster would run it:
# a Kafka broker (KRaft, from Maven jars), a standalone Flink session cluster (deploy/standalone) with
# the ScoringJob and the MonitoringJob submitted through the Flink client, the retrain service,
# Prometheus (Debian's `prometheus`) with deploy/prometheus's scrape config and alert rules, and a
# publisher streaming cells with labels. State, logs and data go to deploy/local/run.
#   deploy/local/up.sh        start it all (generates two data sets: the stream, and its drifted twin)
#   deploy/local/drift.sh     inject a drift: cells of the same donors with other signatures
#   deploy/local/status.sh    jobs, registry, firing alerts
#   deploy/local/down.sh      stop it all
# DONORSTREAM_SKIP_BUILD=1 deploy/local/up.sh skips the Maven build (the jars and deploy/standalone's lib/ must exist).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUN="$HERE/run"
DS="$ROOT/donorstream"
BOOTSTRAP=127.0.0.1:9092
mkdir -p "$RUN/logs"
command -v prometheus >/dev/null || { echo "error: prometheus is not installed (apt-get install prometheus)" >&2; exit 2; }

bg() {  # name command...: run in the background, log to run/logs/name.log, remember the pid
  local name=$1; shift
  nohup "$@" > "$RUN/logs/$name.log" 2>&1 &
  echo $! >> "$RUN/pids"
}
wait_for() {  # what command...: retry until the command succeeds (60 s)
  local what=$1; shift
  for _ in $(seq 120); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "error: $what did not come up (see $RUN/logs)" >&2; exit 1
}

echo "[1/7] build and data"
# DONORSTREAM_SKIP_BUILD=1 (as for the launcher): use the build that is there, e.g. after `mvn package`.
if [ "${DONORSTREAM_SKIP_BUILD:-}" != "1" ]; then
  (cd "$ROOT" && mvn -B -q -DskipTests install && mvn -B -q -f deploy/standalone/pom.xml package)
fi
[ -f "$RUN/stream.h5ad" ] || "$DS" generate --cells 20000 --donors 12 --width 50 --seed 1 --out "$RUN/stream.h5ad" > "$RUN/logs/generate.log"
[ -f "$RUN/drifted.h5ad" ] || "$DS" generate --cells 6000 --donors 12 --width 50 --seed 2 --out "$RUN/drifted.h5ad" >> "$RUN/logs/generate.log"

echo "[2/7] Kafka at $BOOTSTRAP"
bg kafka "$DS" kafka --port 9092 --create-topics --data-dir "$RUN/kafka"
wait_for "Kafka" grep -q "topics created" "$RUN/logs/kafka.log"

echo "[3/7] Flink session cluster (web UI http://localhost:8082) with two TaskManagers"
"$ROOT/deploy/standalone/cluster.sh" start
"$ROOT/deploy/standalone/cluster.sh" taskmanager
wait_for "the JobManager" curl -sf localhost:8082/overview

echo "[4/7] the first model, registered as champion and announced"
if [ ! -f "$RUN/models/vanilla/registry.json" ]; then
  "$DS" train --data "$RUN/stream.h5ad" --embedding-key X_emb --model vanilla --out "$RUN/first-model" > "$RUN/logs/train.log" 2>&1
  "$DS" models register vanilla "$RUN/first-model" --champion --registry "$RUN/models" --bootstrap "$BOOTSTRAP"
fi

echo "[5/7] ScoringJob and MonitoringJob submitted"
"$ROOT/deploy/standalone/cluster.sh" run --bootstrap "$BOOTSTRAP" --embedding-width 50 > "$RUN/logs/submit-scoring.log"
"$ROOT/deploy/standalone/cluster.sh" run-monitor --bootstrap "$BOOTSTRAP" --archive "file://$RUN/archive" > "$RUN/logs/submit-monitoring.log"

echo "[6/7] retrain service and Prometheus (http://localhost:9090, alerts: /alerts)"
bg retrain "$DS" retrain-service --bootstrap "$BOOTSTRAP" --registry "$RUN/models" --archive "$RUN/archive" \
  --base-data "$RUN/stream.h5ad" --embedding-key X_emb
bg prometheus prometheus --config.file="$ROOT/deploy/prometheus/prometheus.yml" --storage.tsdb.path="$RUN/prometheus" \
  --web.listen-address=127.0.0.1:9090
wait_for "Prometheus" curl -sf localhost:9090/-/ready

echo "[7/7] publishing cells (100/s, every cell labelled) from $RUN/stream.h5ad"
bg publish "$DS" publish --data "$RUN/stream.h5ad" --embedding-key X_emb --bootstrap "$BOOTSTRAP" --rate 100 --labels-fraction 1 --shuffle
echo "up. Watch: Flink http://localhost:8082, Prometheus http://localhost:9090/alerts; then deploy/local/drift.sh"
