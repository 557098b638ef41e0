"""Cells of an AnnData (or .h5ad) as CellEvent records, encoded in bulk.

A CellEvent body is written by hand from precomputed pieces: per cell only the id, the event time
and the embedding row change, and a float array's body is the block count, the floats as 4
little-endian bytes each, then a 0 byte, so a row is one slice of the chunk's `<f4` bytes.
"""
import time
from pathlib import Path

import numpy as np

from .avro_codec import encode_long, encode_string, header
from .schemas import canonical_form, fingerprint, load_schemas

# The field layout this encoder writes, as canonical types. A changed CellEvent.avsc fails loudly
# here instead of producing records the job would dead-letter.
_LAYOUT = [
    ("cell_id", '"string"'), ("dataset_id", '"string"'), ("event_time", '"long"'),
    ("embedding", '{"type":"array","items":"float"}'), ("embedding_key", '"string"'),
    ("cell_type", '"string"'), ("cell_type_ontology_id", '["null","string"]'),
    ("donor_id", '["null","string"]'), ("sex", '["null","string"]'),
]
ONTOLOGY_COLUMN = "cell_type_ontology_term_id"
_LENGTHS = [encode_long(n) for n in range(256)]  # string length prefixes of cell ids, precomputed
_NULL = b"\x00"  # union branch 0: null
_SOME = b"\x02"  # union branch 1: zig-zag 1


def _missing(v):
    return v is None or (isinstance(v, float) and v != v)


def _optional(v):
    return _NULL if _missing(v) else _SOME + encode_string(str(v))


def _sex(v):
    # As the Java reader (Sex.normalise): female/male, anything else is unknown.
    s = None if _missing(v) else str(v).strip().lower()
    return s if s in ("female", "male") else None


class CellEventEncoder:
    """Encodes rows of one dataset as single-object CellEvents, keyed by cell id (UTF-8)."""

    def __init__(self, dataset_id: str, embedding_key: str, width: int, schema_dir=None):
        schema = load_schemas(schema_dir)["CellEvent"]
        layout = [(f["name"], canonical_form(f["type"])) for f in schema["fields"]]
        if layout != _LAYOUT:
            raise ValueError(f"CellEvent.avsc no longer has the layout this encoder writes: {layout}; "
                             "update donorstream_client/cells.py")
        self.fingerprint = fingerprint(schema)
        self.width = width
        self._header = header(self.fingerprint)
        self._dataset = encode_string(dataset_id)
        # An empty array is just the 0 terminator; otherwise one block of `width` floats.
        self._array_head = encode_long(width) if width else b""
        self._tail_head = b"\x00" + encode_string(embedding_key)
        self._strings = {}
        self._tails = {}
        self._last_ms = None
        self._mid = None

    def _string(self, s):
        b = self._strings.get(s)
        if b is None:
            b = self._strings[s] = encode_string(s)
        return b

    def _tail(self, cell_type, ontology, donor, sex):
        k = (cell_type, ontology, donor, sex)
        t = self._tails.get(k)
        if t is None:
            t = self._tails[k] = (self._tail_head + self._string(cell_type) + _optional(ontology)
                                  + _optional(donor) + _optional(sex))
        return t

    def _middle(self, ms):
        # dataset id + event time + array block count, rebuilt only when the millisecond changes.
        if ms != self._last_ms:
            self._last_ms = ms
            self._mid = self._dataset + encode_long(ms) + self._array_head
        return self._mid

    def encode_chunk(self, cell_ids, embedding, cell_types, ontology_ids, donors, sexes, labelled,
                     event_time_ms=None):
        """(key, value) per row; donors/sexes are used only where `labelled` is true.

        event_time_ms: one time for all rows, else each row gets the time it is encoded (as the
        Java publisher does)."""
        emb = np.ascontiguousarray(embedding, dtype="<f4")
        if emb.ndim != 2 or emb.shape[1] != self.width:
            raise ValueError(f"embedding chunk has shape {emb.shape}, expected (n, {self.width})")
        flat = memoryview(emb).cast("B")  # no copy: join() below copies each row once, into its record
        rb = 4 * self.width
        head, mid_of, tail_of = self._header, self._middle, self._tail
        now = time.time_ns
        out = []
        for i, cid in enumerate(cell_ids):
            key = cid.encode("utf-8")
            ms = event_time_ms if event_time_ms is not None else now() // 1_000_000
            if labelled[i]:
                tail = tail_of(cell_types[i], ontology_ids[i], donors[i], sexes[i])
            else:
                tail = tail_of(cell_types[i], ontology_ids[i], None, None)
            n = len(key)
            value = b"".join((head, _LENGTHS[n] if n < 256 else encode_long(n), key, mid_of(ms),
                              flat[i * rb:(i + 1) * rb], tail))
            out.append((key, value))
        return out


class CellSource:
    """The cells of an AnnData or an .h5ad path, embeddings read a chunk at a time.

    An .h5ad path is opened with h5py (obs through anndata's read_elem) rather than
    anndata.read_h5ad(backed='r'): anndata 0.8 reads every obsm array whole even when backed, so
    memory would grow with the file."""

    def __init__(self, adata, embedding_key: str):
        self._file = None
        if isinstance(adata, (str, Path)):
            import h5py
            from anndata.experimental import read_elem
            self.path = Path(adata)
            self._file = h5py.File(self.path, "r")
            obsm = self._file.get("obsm")
            if obsm is None or embedding_key not in obsm:
                keys = sorted(obsm.keys()) if obsm is not None else []
                self.close()
                raise KeyError(f"{self.path} has no obsm['{embedding_key}'] (obsm keys: {keys})")
            self.obs = read_elem(self._file["obs"])
            emb = obsm[embedding_key]
            if not isinstance(emb, h5py.Dataset):  # e.g. a sparse matrix: no cheap row slices
                emb = read_elem(emb)
            self._emb = emb
            self.default_dataset_id = self.path.name[:-5] if self.path.name.endswith(".h5ad") else self.path.stem
        else:
            if embedding_key not in adata.obsm:
                raise KeyError(f"AnnData has no obsm['{embedding_key}'] (obsm keys: {sorted(adata.obsm.keys())})")
            self.path = None
            self.obs = adata.obs
            self._emb = adata.obsm[embedding_key]
            fn = getattr(adata, "filename", None)
            self.default_dataset_id = Path(fn).name[:-5] if fn else "anndata"
        if len(self._emb.shape) != 2 or self._emb.shape[0] != len(self.obs):
            raise ValueError(f"obsm['{embedding_key}'] has shape {self._emb.shape}, obs has {len(self.obs)} cells")
        self.n, self.width = int(self._emb.shape[0]), int(self._emb.shape[1])

    def column(self, name, required=False):
        """An obs column as a list of str/None, or a list of None when it is absent."""
        if name not in self.obs.columns:
            if required:
                raise KeyError(f"obs has no column '{name}' (columns: {list(self.obs.columns)})")
            return [None] * self.n
        col = self.obs[name]
        return [None if _missing(v) else str(v) for v in col.astype(object).tolist()]

    def embedding(self, start, stop):
        e = self._emb[start:stop]
        if hasattr(e, "toarray"):
            e = e.toarray()
        return np.asarray(e, dtype=np.float32)

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def encode_cells(source: CellSource, embedding_key, labels_fraction=1.0, dataset_id=None, seed=42,
                 limit=None, chunk_size=4096, schema_dir=None, counts=None):
    """Yields chunks (lists) of (key, value) CellEvents of a CellSource, in file order.

    counts (a dict, optional) gets 'cells' and 'labelled' as it goes."""
    n = source.n if not limit else min(source.n, int(limit))
    enc = CellEventEncoder(dataset_id or source.default_dataset_id, embedding_key, source.width, schema_dir)
    ids = [str(x) for x in source.obs.index[:n]]
    types = source.column("cell_type", required=True)
    onto = source.column(ONTOLOGY_COLUMN)
    donors = source.column("donor_id")
    sexes = [_sex(v) for v in source.column("sex")]
    missing = next((i for i in range(n) if types[i] is None), None)
    if missing is not None:
        raise ValueError(f"obs['cell_type'] is missing for cell {ids[missing]} (row {missing})")
    has_donor = np.fromiter((d is not None for d in donors[:n]), bool, n)
    rng = np.random.default_rng(seed)
    if counts is not None:
        counts.update(cells=0, labelled=0)
    for start in range(0, n, chunk_size):
        stop = min(n, start + chunk_size)
        emb = source.embedding(start, stop)
        finite = np.isfinite(emb).all(axis=1)
        if not finite.all():
            bad = start + int(np.argmin(finite))
            raise ValueError(f"obsm['{embedding_key}'] has NaN or infinite values at row {bad} (cell {ids[bad]}); "
                             f"the job would dead-letter it ({start} cells were encoded before it)")
        labelled = rng.random(stop - start) < labels_fraction
        sl = slice(start, stop)
        chunk = enc.encode_chunk(ids[sl], emb, types[sl], onto[sl], donors[sl], sexes[sl], labelled)
        if counts is not None:
            counts["cells"] += len(chunk)
            counts["labelled"] += int((labelled & has_donor[sl]).sum())
        yield chunk
