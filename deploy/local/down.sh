#!/usr/bin/env bash
# Stops everything up.sh started (the data in deploy/local/run stays; delete it to start afresh).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -f "$HERE/run/pids" ] && xargs -r kill < "$HERE/run/pids" 2>/dev/null
rm -f "$HERE/run/pids"
"$HERE/../standalone/cluster.sh" stop
