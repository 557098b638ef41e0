"""Encoding and decoding against python3-avro's own DatumWriter/DatumReader."""
import datetime
import io
import json
import struct
import tempfile
import unittest
from pathlib import Path

import avro.io
import avro.schema
import numpy as np

from donorstream_client.avro_codec import Codec, DecodeError, encode_long, encode_string
from donorstream_client.cells import CellEventEncoder, CellSource, encode_cells
from donorstream_client.kafka_io import PREDICTION_COLUMNS, predictions_frame
from donorstream_client.schemas import load_schemas

SCHEMAS = load_schemas()
UTC = datetime.timezone.utc


def avro_body(name, datum):
    buf = io.BytesIO()
    avro.io.DatumWriter(avro.schema.parse(json.dumps(SCHEMAS[name]))).write(datum, avro.io.BinaryEncoder(buf))
    return buf.getvalue()


def avro_read(name, body):
    return avro.io.DatumReader(avro.schema.parse(json.dumps(SCHEMAS[name]))).read(
        avro.io.BinaryDecoder(io.BytesIO(body)))


def small_anndata():
    import anndata
    import pandas as pd
    obs = pd.DataFrame({
        "donor_id": pd.Categorical(["D1", "D2", None, "D1"]),
        "sex": ["Female", "male", "male", "unknown"],
        "cell_type": pd.Categorical(["T cell", "B cell", "T cell", "NK cell \u00e9"]),
        "cell_type_ontology_term_id": ["CL:0000084", None, "CL:0000084", "CL:0000623"],
    }, index=["c-0", "c-1", "c-\u00e9", "c-3"])
    emb = np.arange(4 * 5, dtype=np.float32).reshape(4, 5) / 7 - 1
    return anndata.AnnData(obs=obs, obsm={"emb": emb})


class CellEventTest(unittest.TestCase):
    def test_fast_encoder_matches_avro_datum_writer(self):
        codec = Codec("CellEvent")
        enc = CellEventEncoder("ds-1", "geneformer", 3)
        emb = np.array([[0.5, -1.25, 3e-8], [1e30, 0, -0.0]], dtype=np.float32)
        pairs = enc.encode_chunk(["cell-a", "cell-\u00df"], emb, ["T cell", "B cell"], ["CL:1", None],
                                 ["D7", "D8"], ["female", None], [True, False], event_time_ms=1_700_000_000_123)
        for i, (key, value) in enumerate(pairs):
            datum = {
                "cell_id": ["cell-a", "cell-\u00df"][i], "dataset_id": "ds-1",
                "event_time": datetime.datetime.fromtimestamp(1_700_000_000.123, UTC),
                "embedding": [float(x) for x in emb[i]], "embedding_key": "geneformer",
                "cell_type": ["T cell", "B cell"][i], "cell_type_ontology_id": ["CL:1", None][i],
                "donor_id": ["D7", None][i], "sex": ["female", None][i],
            }
            self.assertEqual(key, datum["cell_id"].encode("utf-8"))
            self.assertEqual(value[:10], b"\xc3\x01" + struct.pack("<Q", 0x47a3cc60a7f019cb))
            self.assertEqual(value[10:], avro_body("CellEvent", datum))
            generic = dict(datum, event_time=1_700_000_000_123, embedding=emb[i])
            self.assertEqual(value, codec.encode(generic))
            back = codec.decode(value)
            np.testing.assert_array_equal(back.pop("embedding"), emb[i])
            generic.pop("embedding")
            self.assertEqual(back, generic)

    def test_encode_cells_from_anndata_and_h5ad(self):
        adata = small_anndata()
        codec = Codec("CellEvent")
        with CellSource(adata, "emb") as src:
            everything = [codec.decode(v) for chunk in encode_cells(src, "emb", 1.0, "ds", chunk_size=3)
                          for _, v in chunk]
        self.assertEqual([r["cell_id"] for r in everything], list(adata.obs_names))
        self.assertEqual([r["donor_id"] for r in everything], ["D1", "D2", None, "D1"])
        self.assertEqual([r["sex"] for r in everything], ["female", "male", "male", None])  # as Java's Sex.normalise
        self.assertEqual([r["cell_type_ontology_id"] for r in everything], ["CL:0000084", None, "CL:0000084", "CL:0000623"])
        for r, row in zip(everything, adata.obsm["emb"]):
            np.testing.assert_array_equal(r["embedding"], row)
        with CellSource(adata, "emb") as src:
            unlabelled = [codec.decode(v) for chunk in encode_cells(src, "emb", 0.0) for _, v in chunk]
        self.assertTrue(all(r["donor_id"] is None and r["sex"] is None for r in unlabelled))
        self.assertEqual(unlabelled[0]["dataset_id"], "anndata")
        with tempfile.TemporaryDirectory() as d:
            path = Path(d, "tiny-set.h5ad")
            adata.write_h5ad(path)
            counts = {}
            with CellSource(str(path), "emb") as src:
                pairs = [p for chunk in encode_cells(src, "emb", 1.0, limit=3, counts=counts, chunk_size=2)
                         for p in chunk]
        self.assertEqual(counts, {"cells": 3, "labelled": 2})  # the third cell has no donor
        self.assertEqual([k for k, _ in pairs], [c.encode("utf-8") for c in adata.obs_names[:3]])
        from_file = [codec.decode(v) for _, v in pairs]
        self.assertEqual(from_file[0]["dataset_id"], "tiny-set")
        for a, b in zip(from_file, everything):
            a.pop("event_time"), a.pop("dataset_id")
            b = dict(b)
            b.pop("event_time"), b.pop("dataset_id")
            np.testing.assert_array_equal(a.pop("embedding"), b.pop("embedding"))
            self.assertEqual(a, b)

    def test_non_finite_and_missing_key_are_refused(self):
        adata = small_anndata()
        adata.obsm["emb"][2, 1] = np.nan
        with CellSource(adata, "emb") as src, self.assertRaisesRegex(ValueError, "row 2 \\(cell c-\u00e9\\)"):
            list(encode_cells(src, "emb"))
        with self.assertRaisesRegex(KeyError, "no obsm\\['nope'\\]"):
            CellSource(adata, "nope")


class DecodeTest(unittest.TestCase):
    PREDICTION = {
        "cell_id": "c1", "dataset_id": "d", "event_time": 1_704_164_645_678, "scored_at": 1_704_164_646_000,
        "model_name": "vanilla", "model_version": "3", "predicted_donor": "D1",
        "top_k": [{"donor_id": "D1", "probability": 0.5}, {"donor_id": "D2", "probability": 0.25}],
        "confidence": 0.5, "unknown_donor": False, "latent": [1.0, -2.5], "cell_type": "T cell",
        "true_donor_id": None, "sex": "female", "novelty": 1.5,
    }

    def test_prediction_from_avro_datum_writer(self):
        datum = dict(self.PREDICTION, event_time=datetime.datetime.fromtimestamp(1_704_164_645.678, UTC),
                     scored_at=datetime.datetime.fromtimestamp(1_704_164_646, UTC))
        body = avro_body("DonorPrediction", datum)
        codec = Codec("DonorPrediction")
        rec = codec.decode(codec.header + body)
        np.testing.assert_array_equal(rec.pop("latent"), np.array([1.0, -2.5], np.float32))
        expected = dict(self.PREDICTION)
        expected.pop("latent")
        self.assertEqual(rec, expected)
        self.assertEqual(codec.encode_body(self.PREDICTION), body)

    def test_other_records_round_trip_through_avro(self):
        cases = {
            "ModelUpdate": {"model_name": "m", "version": "2", "artifact_uri": "file:/x", "sha256": "ab",
                            "created_at": 5, "metrics": {"accuracy": 0.75}, "role": "SHADOW", "reason": None},
            "DeadLetter": {"raw": b"\x00\xff", "raw_key": b"k", "reason": "corrupt", "detail": "bad",
                           "source_topic": "cells", "source_partition": 1, "source_offset": 123456789012,
                           "failed_at": -1},
            "RetrainRequest": {"request_id": "r", "requested_at": 1, "reason": "why", "model_name": "m",
                               "model_version": "1", "metrics": {}, "data_from": None, "data_to": 99,
                               "kinds": ["drift", "leakage"]},
        }
        for name, rec in cases.items():
            with self.subTest(name):
                codec = Codec(name)
                body = codec.encode_body(rec)
                self.assertEqual(codec.decode_body(body), rec)
                back = avro_read(name, body)
                for k, v in rec.items():
                    got = back[k]
                    if isinstance(got, datetime.datetime):
                        got = round(got.timestamp() * 1000)
                    self.assertEqual(got, v, k)

    def test_blocked_array_with_byte_size(self):
        # Writers may split arrays into blocks, a negative count followed by the block's size in bytes.
        codec = Codec("DonorPrediction")
        body = codec.encode_body(dict(self.PREDICTION, latent=[]))
        after_latent = (encode_string("T cell") + b"\x00" + b"\x02" + encode_string("female")
                        + b"\x02" + struct.pack("<f", 1.5))
        at = len(body) - len(after_latent) - 1  # the empty latent's single 0 byte
        self.assertEqual(body[at:], b"\x00" + after_latent)
        floats = np.array([1, 2, 3], "<f4").tobytes()
        blocked = encode_long(-2) + encode_long(8) + floats[:8] + encode_long(1) + floats[8:] + b"\x00"
        rec = codec.decode_body(body[:at] + blocked + after_latent)
        np.testing.assert_array_equal(rec["latent"], [1, 2, 3])
        self.assertEqual(rec["sex"], "female")

    def test_header_errors_are_clear(self):
        codec = Codec("DonorPrediction")
        cell = Codec("CellEvent")
        value = cell.header + b"\x00"
        with self.assertRaises(DecodeError) as e:
            codec.decode(value)
        self.assertIn("47a3cc60a7f019cb", str(e.exception))
        self.assertIn("949d4262dc7fde9c", str(e.exception))
        with self.assertRaisesRegex(DecodeError, "not Avro single-object"):
            codec.decode(b"\x00" * 20)
        with self.assertRaisesRegex(DecodeError, "shorter than"):
            codec.decode(b"\xc3\x01\x00")
        good = codec.encode(self.PREDICTION)
        with self.assertRaisesRegex(DecodeError, "ends early"):
            codec.decode(good[:-3])
        with self.assertRaisesRegex(DecodeError, "unread bytes"):
            codec.decode(good + b"\x00")

    def test_predictions_frame(self):
        recs = [Codec("DonorPrediction").decode_body(Codec("DonorPrediction").encode_body(self.PREDICTION)),
                Codec("DonorPrediction").decode_body(Codec("DonorPrediction").encode_body(
                    dict(self.PREDICTION, cell_id="c2", top_k=[], latent=[], novelty=None, true_donor_id="D1")))]
        df = predictions_frame(recs)
        self.assertEqual(list(df.columns), PREDICTION_COLUMNS)
        self.assertEqual(str(df["event_time"].dt.tz), "UTC")
        self.assertEqual(df["event_time"][0].value // 1_000_000, 1_704_164_645_678)
        self.assertEqual(df["top_k"][0], [("D1", 0.5), ("D2", 0.25)])
        self.assertEqual((df["top1_donor"][0], df["top2_probability"][0]), ("D1", 0.25))
        self.assertIsNone(df["top3_donor"][0])
        self.assertTrue(np.isnan(df["novelty"][1]))
        self.assertEqual(len(df["latent"][1]), 0)


if __name__ == "__main__":
    unittest.main()
