"""Parsing Canonical Form and CRC-64-AVRO against the spec and against Java's values."""
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from donorstream_client.schemas import EMPTY, canonical_form, crc64_avro, fingerprint, fingerprints

CLIENT_DIR = Path(__file__).resolve().parent.parent

# SchemaNormalization.parsingFingerprint64(<Class>.getClassSchema()), printed with Long.toHexString by a
# small Java program on the built snapshot's classpath (avro 1.11.4).
JAVA_FINGERPRINTS = {
    "CellEvent": 0x47a3cc60a7f019cb,
    "CellLabel": 0x22ecceb98ecc995c,
    "DeadLetter": 0xdbe071aed6209032,
    "DonorPrediction": 0x949d4262dc7fde9c,
    "ModelUpdate": 0xa3b6932f00671317,
    "QualityReport": 0xce6bebf39c15d045,
    "RetrainRequest": 0xf2cce44aece76e8d,
}
# And SchemaNormalization.toParsingForm(CellEvent.getClassSchema()).
JAVA_CELL_EVENT_FORM = (
    '{"name":"io.donorstream.schema.CellEvent","type":"record","fields":[{"name":"cell_id","type":"string"},'
    '{"name":"dataset_id","type":"string"},{"name":"event_time","type":"long"},'
    '{"name":"embedding","type":{"type":"array","items":"float"}},{"name":"embedding_key","type":"string"},'
    '{"name":"cell_type","type":"string"},{"name":"cell_type_ontology_id","type":["null","string"]},'
    '{"name":"donor_id","type":["null","string"]},{"name":"sex","type":["null","string"]}]}')

# Apache Avro's share/test/data/schema-tests.txt: (input, canonical form, fingerprint as a signed long).
SPEC_VECTORS = [
    ('"null"', '"null"', 7195948357588979594),
    ('{"type":"boolean"}', '"boolean"', -6970731678124411036),
    ('"int"', '"int"', 8247732601305521295),
    ('{"type":"long"}', '"long"', -3434872931120570953),
    ('"float"', '"float"', 5583340709985441680),
    ('"double"', '"double"', -8181574048448539266),
    ('"bytes"', '"bytes"', 5746618253357095269),
    ('"string"', '"string"', -8142146995180207161),
    ('[  ]', '[]', -1241056759729112623),
    ('[ "int" , {"type":"boolean"} ]', '["int","boolean"]', 5392556393470105090),
    ('{"fields":[], "type":"record", "name":"foo"}', '{"name":"foo","type":"record","fields":[]}',
     -4824392279771201922),
    ('{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
     '{"name":"x.y.foo","type":"record","fields":[]}', 5916914534497305771),
    ('{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
     '{"name":"a.b.foo","type":"record","fields":[]}', -4616218487480524110),
    ('{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
     '{"name":"foo","type":"record","fields":[]}', -4824392279771201922),
    ('{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":"true"},'
     '{"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo"}',
     '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
     -4860222112080293046),
    ('{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
     '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}', -4448647247586288245),
    ('{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}',
     '{"name":"x.y.z.foo","type":"fixed","size":32}', -3064184465700546786),
    ('{ "items":{"type":"null"}, "type":"array"}', '{"type":"array","items":"null"}', -589620603366471059),
    ('{ "values":"string", "type":"map"}', '{"type":"map","values":"string"}', -8732877298790414990),
    ('{"name":"PigValue","type":"record","fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
     '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
     -1759257747318642341),
]


class CanonicalFormTest(unittest.TestCase):
    def test_spec_vectors(self):
        for text, canonical, signed in SPEC_VECTORS:
            with self.subTest(text):
                self.assertEqual(canonical_form(text), canonical)
                self.assertEqual(fingerprint(text), signed & 0xFFFFFFFFFFFFFFFF)

    def test_logical_type_is_dropped(self):
        self.assertEqual(canonical_form({"type": "long", "logicalType": "timestamp-millis"}), '"long"')
        self.assertEqual(fingerprint({"type": "long", "logicalType": "timestamp-millis"}), fingerprint("long"))

    def test_record_attributes_stripped_names_full_order_fixed(self):
        s = {"doc": "d", "aliases": ["x"], "fields": [
            {"type": {"type": "enum", "symbols": ["A"], "name": "E", "doc": "e"}, "name": "e", "default": "A"},
            {"name": "again", "type": "E"},
            {"name": "f", "type": {"type": "fixed", "name": "F", "size": "016", "namespace": "other"}},
            {"name": "m", "type": {"values": {"type": "double"}, "type": "map"}, "default": {}},
        ], "namespace": "n.s", "type": "record", "name": "R"}
        self.assertEqual(
            canonical_form(json.dumps(s, indent=2)),
            '{"name":"n.s.R","type":"record","fields":[{"name":"e","type":{"name":"n.s.E","type":"enum",'
            '"symbols":["A"]}},{"name":"again","type":"n.s.E"},{"name":"f","type":{"name":"other.F",'
            '"type":"fixed","size":16}},{"name":"m","type":{"type":"map","values":"double"}}]}')

    def test_non_ascii_strings_are_utf8_not_escaped(self):
        self.assertEqual(canonical_form('{"type":"enum","name":"E","symbols":["\\u00e9"]}'),
                         '{"name":"E","type":"enum","symbols":["\u00e9"]}')


class FingerprintTest(unittest.TestCase):
    def test_crc64_avro_empty(self):
        self.assertEqual(crc64_avro(b""), EMPTY)

    def test_matches_java(self):
        self.assertEqual(fingerprints(), JAVA_FINGERPRINTS)

    def test_cell_event_form_matches_java(self):
        from donorstream_client.schemas import load_schemas
        self.assertEqual(canonical_form(load_schemas()["CellEvent"]), JAVA_CELL_EVENT_FORM)

    def test_schema_dir_override(self):
        with tempfile.TemporaryDirectory() as d:
            Path(d, "foo.avsc").write_text('{"type":"record","name":"foo","namespace":"x.y","fields":[]}')
            self.assertEqual(fingerprints(d), {"foo": 5916914534497305771})  # spec vector
            old = os.environ.get("DONORSTREAM_SCHEMAS")
            os.environ["DONORSTREAM_SCHEMAS"] = d
            try:
                self.assertEqual(list(fingerprints()), ["foo"])
            finally:
                if old is None:
                    del os.environ["DONORSTREAM_SCHEMAS"]
                else:
                    os.environ["DONORSTREAM_SCHEMAS"] = old

    def test_cli_prints_name_and_hex(self):
        env = {k: v for k, v in os.environ.items() if k != "DONORSTREAM_SCHEMAS"}
        out = subprocess.run([sys.executable, "-m", "donorstream_client.fingerprints"], cwd=CLIENT_DIR, env=env,
                             check=True, capture_output=True, text=True).stdout
        expected = "".join(f"{n} {fp:016x}\n" for n, fp in sorted(JAVA_FINGERPRINTS.items()))
        self.assertEqual(out, expected)


if __name__ == "__main__":
    unittest.main()
