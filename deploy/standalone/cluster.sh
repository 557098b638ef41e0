#!/usr/bin/env bash
# A standalone Flink 2.2.1 session cluster from Maven jars (no Flink download, no Docker):
#   deploy/standalone/cluster.sh start          JobManager (REST/web UI on :8082) + one TaskManager
#   deploy/standalone/cluster.sh taskmanager    one more TaskManager
#   deploy/standalone/cluster.sh run ARGS...    submit the ScoringJob (cluster jar) with ScoringJobMain's ARGS
#   deploy/standalone/cluster.sh run-monitor ARGS...  submit the MonitoringJob with MonitoringJobMain's ARGS
#   deploy/standalone/cluster.sh flink ARGS...  any `flink` CLI command (list, cancel JOBID, ...)
#   deploy/standalone/cluster.sh stop
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LIB="$HERE/target/lib"
LOGS="$HERE/target/logs"
JOB_JAR="$ROOT/flink-jobs/target/flink-jobs-0.1.0-SNAPSHOT-cluster.jar"
export FLINK_CONF_DIR="$HERE/conf"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$ROOT/target/djl-cache}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# As the launcher does (see ./donorstream): libtorch's large intermediates stay in malloc's heap.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
JAVA17=(--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)
# The same logging as the launcher: donorstream at INFO, Flink and Kafka at WARN.
LOGCONF=(-Dlog4j.configurationFile="$ROOT/flink-jobs/src/main/resources/log4j2.xml")

ensure_lib() {
  [ -d "$LIB" ] || (cd "$ROOT" && mvn -B -q -f deploy/standalone/pom.xml package)
}

start_taskmanager() {
  local n; n=$(find "$LOGS" -name 'taskmanager-*.log' | wc -l)
  nohup java -Xmx2g "${JAVA17[@]}" "${LOGCONF[@]}" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "$LIB/*" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$FLINK_CONF_DIR" > "$LOGS/taskmanager-$n.log" 2>&1 &
  echo $! >> "$LOGS/pids"
  echo "TaskManager $n started (log: $LOGS/taskmanager-$n.log)"
}

case "${1:-}" in
  start)
    ensure_lib
    mkdir -p "$LOGS"
    nohup java -Xmx768m "${JAVA17[@]}" "${LOGCONF[@]}" -cp "$LIB/*" \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$FLINK_CONF_DIR" > "$LOGS/jobmanager.log" 2>&1 &
    echo $! > "$LOGS/pids"
    echo "JobManager started: http://localhost:8082 (log: $LOGS/jobmanager.log)"
    start_taskmanager ;;
  taskmanager) start_taskmanager ;;
  run|run-monitor)
    main=io.donorstream.scoring.ScoringJobMain
    [ "$1" = run-monitor ] && main=io.donorstream.monitor.MonitoringJobMain
    shift
    [ -f "$JOB_JAR" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
    java "${LOGCONF[@]}" --add-opens=java.base/java.util=ALL-UNNAMED -cp "$LIB/*" org.apache.flink.client.cli.CliFrontend \
      run -d -c "$main" "$JOB_JAR" "$@" ;;
  flink)
    shift
    java "${LOGCONF[@]}" -cp "$LIB/*" org.apache.flink.client.cli.CliFrontend "$@" ;;
  stop)
    [ -f "$LOGS/pids" ] && xargs -r kill < "$LOGS/pids" 2>/dev/null || true
    rm -f "$LOGS/pids"
    echo "stopped" ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
