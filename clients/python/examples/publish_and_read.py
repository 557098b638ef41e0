#!/usr/bin/env python3
"""Publish the cells of an .h5ad to donorstream, read the predictions back, print the accuracy.

  /usr/bin/python3 examples/publish_and_read.py --bootstrap 127.0.0.1:9092 --data cells.h5ad \\
      --embedding-key geneformer --labels-fraction 0.3 [--limit 3000] [--kafka-config client.properties]

A scoring job (./donorstream score ...) must be running against the same broker.
"""
import argparse
import sys
import time
from pathlib import Path

import h5py  # noqa: E402 -- imported before the publish clock starts (anndata takes ~2 s to import)
from anndata.experimental import read_elem  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, no install
from donorstream_client import publish, read_dead_letters, read_predictions  # noqa: E402


def read_properties(path):
    """Java-properties-style `key=value` (or `key: value`) lines; # and ! start comments."""
    conf = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        sep = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        if sep < 0:
            raise ValueError(f"{path}: not a key=value line: {line!r}")
        conf[line[:sep].strip()] = line[sep + 1:].strip()
    return conf


def main(argv=None):
    p = argparse.ArgumentParser(description="Publish cells, read predictions, print accuracy.")
    p.add_argument("--bootstrap", required=True, help="HOST:PORT of the Kafka broker")
    p.add_argument("--data", required=True, help=".h5ad with obs donor_id, sex, cell_type")
    p.add_argument("--embedding-key", required=True, help="obsm key of the embedding (e.g. geneformer)")
    p.add_argument("--labels-fraction", type=float, default=1.0)
    p.add_argument("--kafka-config", help="file of extra librdkafka properties (security.protocol, sasl.*, ...)")
    p.add_argument("--limit", type=int, help="publish only the first N cells")
    p.add_argument("--timeout", type=float, default=30, help="stop reading after this many idle seconds")
    a = p.parse_args(argv)
    config = read_properties(a.kafka_config) if a.kafka_config else None

    start = time.perf_counter()
    n = publish(a.data, a.bootstrap, a.embedding_key, labels_fraction=a.labels_fraction, config=config,
                limit=a.limit)
    s = time.perf_counter() - start
    print(f"published {n} cells in {s:.2f} s: {n / s:,.0f} cells/s")

    with h5py.File(a.data, "r") as f:  # the published ids, to pick this run's answers from the topics
        ids = set(map(str, read_elem(f["obs"]).index[:n]))
    dataset = Path(a.data).name.removesuffix(".h5ad")

    preds = read_predictions(a.bootstrap, timeout_s=a.timeout, config=config)
    preds = preds[(preds["dataset_id"] == dataset) & preds["cell_id"].isin(ids)]
    dead = read_dead_letters(a.bootstrap, timeout_s=min(a.timeout, 5), config=config)
    dead = dead[dead["cell_id"].isin(ids)]
    answered = set(preds["cell_id"]) | set(dead["cell_id"])
    print(f"predictions for {preds['cell_id'].nunique()} of {n} cells ({len(preds)} rows, "
          f"{len(preds) - preds['cell_id'].nunique()} repeated); dead letters {len(dead)} "
          f"{dict(dead['reason'].value_counts())}; unanswered {len(ids - answered)}")
    labelled = preds[preds["true_donor_id"].notna()]
    if len(labelled):
        acc = (labelled["predicted_donor"] == labelled["true_donor_id"]).mean()
        print(f"accuracy on {len(labelled)} labelled cells: {acc:.3f} "
              f"(model {labelled['model_name'].iloc[0]} v{labelled['model_version'].iloc[0]}); "
              f"unknown_donor flagged on {preds['unknown_donor'].mean():.1%} of all")
    else:
        print("no labelled predictions: nothing to score the accuracy on")


if __name__ == "__main__":
    main()
