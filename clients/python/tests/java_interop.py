#!/usr/bin/env python3
"""Driven by the Java suite (PythonClientIT): publish cells from Python, read the job's answers back.

  java_interop.py publish BOOTSTRAP FILE.h5ad EMBEDDING_KEY LABELS_FRACTION   -> prints the count published
  java_interop.py read BOOTSTRAP EXPECTED OUT.csv                            -> writes one row per prediction
  java_interop.py fingerprints                                               -> Name %016x per schema
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, no install
from donorstream_client import publish, read_predictions  # noqa: E402
from donorstream_client.schemas import fingerprints  # noqa: E402


def main(argv):
    if argv[0] == "publish":
        bootstrap, data, key, fraction = argv[1:5]
        print(publish(data, bootstrap, key, labels_fraction=float(fraction)))
    elif argv[0] == "read":
        bootstrap, expected, out = argv[1], int(argv[2]), argv[3]
        preds = read_predictions(bootstrap, max_records=expected, timeout_s=60)
        cols = ["cell_id", "model_version", "predicted_donor", "confidence", "unknown_donor", "top2_donor",
                "true_donor_id", "sex"]
        preds[cols].to_csv(out, index=False, float_format="%.9g")
        print(len(preds))
    elif argv[0] == "fingerprints":
        for name, fp in sorted(fingerprints().items()):
            print(f"{name} {fp:016x}")
    else:
        raise SystemExit(f"unknown command {argv[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
