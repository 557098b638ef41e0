"""Encoding speed of CellEvents, no broker: `python3 -m donorstream_client.bench --cells 127120 --width 512`.

Synthetic cells in an in-memory AnnData by default, or the cells of --data FILE.h5ad (read from disk
a chunk at a time, as publish does). Prints cells/s; timing is for looking at, not asserted anywhere."""
import argparse
import time

import numpy as np


def synthetic_anndata(cells, width, seed=0):
    import anndata
    import pandas as pd
    rng = np.random.default_rng(seed)
    obs = pd.DataFrame({
        "donor_id": pd.Categorical([f"D{i:02d}" for i in rng.integers(0, 20, cells)]),
        "sex": pd.Categorical(rng.choice(["female", "male"], cells)),
        "cell_type": pd.Categorical([f"type {i}" for i in rng.integers(0, 12, cells)]),
        "cell_type_ontology_term_id": pd.Categorical([f"CL:{i:07d}" for i in rng.integers(0, 12, cells)]),
    }, index=[f"bench-{i:07d}" for i in range(cells)])
    emb = rng.standard_normal((cells, width), dtype=np.float32)
    return anndata.AnnData(obs=obs, obsm={"bench": emb})


def main(argv=None):
    from .cells import CellSource, encode_cells
    p = argparse.ArgumentParser(description="CellEvent encoding speed (no broker).")
    p.add_argument("--cells", type=int, default=127_120)
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--data", help=".h5ad to encode instead of synthetic cells")
    p.add_argument("--embedding-key", default="geneformer", help="obsm key with --data (default geneformer)")
    p.add_argument("--labels-fraction", type=float, default=0.5)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args(argv)
    if a.data:
        import anndata.experimental  # noqa: F401 -- imported before the clock starts
        import h5py  # noqa: F401
        adata, key, limit = a.data, a.embedding_key, a.cells
    else:
        adata, key, limit = synthetic_anndata(a.cells, a.width), "bench", None
    for r in range(a.repeats):
        counts = {}
        nbytes = 0
        start = time.perf_counter()
        with CellSource(adata, key) as source:
            for chunk in encode_cells(source, key, a.labels_fraction, limit=limit, counts=counts):
                nbytes += sum(len(v) for _, v in chunk)
            width = source.width
        s = time.perf_counter() - start
        print(f"run {r + 1}: encoded {counts['cells']} cells of {width}-d ({counts['labelled']} labelled, "
              f"{nbytes / 1e6:.0f} MB) in {s:.2f} s: {counts['cells'] / s:,.0f} cells/s, {nbytes / 1e6 / s:.0f} MB/s")


if __name__ == "__main__":
    main()
