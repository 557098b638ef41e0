#!/usr/bin/env bash
# Injects a drift: the same twelve donor ids, with signatures the champion never saw (a second
# generated set), published with labels. The monitor's ADWIN sees the errors rise, asks for a new
# model; Prometheus fires DonorstreamDriftDetected and DonorstreamRetrainRequested.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$HERE/../../donorstream" publish --data "$HERE/run/drifted.h5ad" --embedding-key X_emb --bootstrap 127.0.0.1:9092 --rate 150 \
  --labels-fraction 1 --shuffle --seed 2
