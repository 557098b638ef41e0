"""Python client of donorstream: publish cells as CellEvents, read DonorPredictions and DeadLetters.

Records use Avro single-object encoding with fingerprints computed as Java's
SchemaNormalization.parsingFingerprint64 does, from the repository's schemas/src/main/avro.
"""
from .avro_codec import Codec, DecodeError
from .cells import CellEventEncoder, CellSource, encode_cells
from .kafka_io import (KafkaAccessError, predictions_frame, publish, read_dead_letters, read_predictions,
                       read_records)
from .schemas import canonical_form, crc64_avro, fingerprint, fingerprints, load_schemas, schema_dir

__all__ = [
    "Codec", "DecodeError", "CellEventEncoder", "CellSource", "encode_cells", "KafkaAccessError",
    "predictions_frame", "publish", "read_dead_letters", "read_predictions", "read_records",
    "canonical_form", "crc64_avro", "fingerprint", "fingerprints", "load_schemas", "schema_dir",
]
