#!/usr/bin/env bash
# What runs, what the registry says, which alerts fire.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$HERE/../standalone/cluster.sh" flink list 2>/dev/null | grep -E "RUNNING|RESTARTING|FAILED" || echo "(no jobs)"
"$HERE/../../donorstream" models list --registry "$HERE/run/models"
curl -s localhost:9090/api/v1/alerts | python3 -c '
import json, sys
alerts = json.load(sys.stdin)["data"]["alerts"]
for a in alerts: print(a["state"], a["labels"]["alertname"], a["labels"].get("model_version", ""), a["annotations"].get("summary", ""))
print(len(alerts), "alert(s) pending or firing")'
