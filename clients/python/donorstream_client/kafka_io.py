"""Publishing cells to, and reading predictions and dead letters from, donorstream's Kafka topics."""
import sys
import time
import uuid

from .avro_codec import Codec, DecodeError
from .cells import CellSource, encode_cells

REACH_TIMEOUT_S = 10


class KafkaAccessError(RuntimeError):
    """The broker cannot be reached, a topic is missing, or a record was not delivered."""


def _kafka():
    import confluent_kafka  # Debian: python3-confluent-kafka
    return confluent_kafka


def producer_config(bootstrap, config=None) -> dict:
    c = {
        "bootstrap.servers": bootstrap,
        "enable.idempotence": True,  # implies acks=all: no duplicate or lost cell on a retry
        "linger.ms": 20,
        "batch.size": 1_000_000,  # ~480 cells of 512-d per request
        "compression.type": "lz4",  # cheap; embeddings barely compress, ids and labels do
        "message.timeout.ms": 60_000,
        # Only failures come back to Python: a callback per delivered cell would cost more than encoding it.
        "delivery.report.only.error": True,
    }
    c.update(config or {})
    return c


def _check_topic(client, bootstrap, topic):
    k = _kafka()
    try:
        md = client.list_topics(timeout=REACH_TIMEOUT_S)
    except k.KafkaException as e:
        raise KafkaAccessError(f"cannot reach Kafka at {bootstrap} within {REACH_TIMEOUT_S} s ({e}); "
                               "is a broker running there? (start one with ./donorstream kafka)") from None
    t = md.topics.get(topic)
    if t is None or t.error is not None:
        names = sorted(n for n in md.topics if not n.startswith("__"))
        raise KafkaAccessError(f"topic '{topic}' does not exist on {bootstrap} (topics: {names}); "
                               "create it, e.g. ./donorstream kafka --create-topics")
    return sorted(t.partitions)


def publish(adata, bootstrap, embedding_key, topic="cells", labels_fraction=1.0, dataset_id=None, seed=42,
            config=None, limit=None, verbose=False, chunk_size=4096, schema_dir=None) -> int:
    """Publishes the cells of an AnnData (or .h5ad path) as CellEvents keyed by cell id; returns the count.

    A cell carries its donor_id and sex with probability labels_fraction (seeded), else they are null.
    config: extra librdkafka properties (security.protocol, sasl.*, ...), merged over the defaults."""
    k = _kafka()
    failures = []
    conf = producer_config(bootstrap, config)
    conf["on_delivery"] = lambda err, msg: failures.append((err, msg.key())) if err is not None else None
    producer = k.Producer(conf)
    _check_topic(producer, bootstrap, topic)
    counts = {}
    start = time.perf_counter()
    sent = 0
    with CellSource(adata, embedding_key) as source:
        produce, poll = producer.produce, producer.poll
        for chunk in encode_cells(source, embedding_key, labels_fraction, dataset_id, seed, limit,
                                  chunk_size, schema_dir, counts):
            for key, value in chunk:
                while True:
                    try:
                        produce(topic, value, key)
                        break
                    except BufferError:  # the local queue is full: let librdkafka send some
                        poll(0.05)
            sent += len(chunk)
            poll(0)  # serves delivery reports (failures only)
            if failures:
                break
    remaining = producer.flush(60)
    if failures:
        err, key = failures[0]
        raise KafkaAccessError(f"publishing to {topic} on {bootstrap} failed for cell "
                               f"{key.decode('utf-8', 'replace') if key else None}: {err.str()} "
                               f"({len(failures)} failed of {sent} sent)")
    if remaining:
        raise KafkaAccessError(f"{remaining} of {sent} cells were not delivered to {topic} on {bootstrap} within 60 s")
    seconds = time.perf_counter() - start
    if verbose:
        print(f"published {sent} cells ({counts.get('labelled', 0)} labelled) of {source.width}-d to {topic} "
              f"in {seconds:.2f} s: {sent / max(seconds, 1e-9):,.0f} cells/s", file=sys.stderr)
    return sent


def read_records(bootstrap, topic, record_name, max_records=None, timeout_s=30, group_id=None, config=None,
                 from_beginning=True, schema_dir=None):
    """Decoded records (dicts) of one schema from a topic, until max_records or timeout_s without new ones.

    Without group_id the partitions are assigned directly (no group join, nothing committed); with one the
    consumer joins that group and commits, so a later call continues where this one stopped."""
    k = _kafka()
    codec = Codec(record_name, schema_dir)
    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": group_id or f"donorstream-client-{uuid.uuid4()}",
        "enable.auto.commit": group_id is not None,
        "auto.offset.reset": "earliest" if from_beginning else "latest",
        "isolation.level": "read_committed",  # the job writes transactionally: skip aborted output
        "enable.partition.eof": False,
    }
    conf.update(config or {})
    consumer = k.Consumer(conf)
    out = []
    try:
        partitions = _check_topic(consumer, bootstrap, topic)
        if group_id is None:
            offset = k.OFFSET_BEGINNING if from_beginning else k.OFFSET_END
            consumer.assign([k.TopicPartition(topic, p, offset) for p in partitions])
        else:
            consumer.subscribe([topic])
        last = time.monotonic()
        while max_records is None or len(out) < max_records:
            want = 1000 if max_records is None else min(1000, max_records - len(out))
            msgs = consumer.consume(want, 0.5)
            for m in msgs:
                if m.error() is not None:
                    raise KafkaAccessError(f"reading {topic} on {bootstrap}: {m.error().str()}")
                try:
                    out.append(codec.decode(m.value()))
                except DecodeError as e:
                    raise DecodeError(f"{topic} partition {m.partition()} offset {m.offset()}: {e}") from None
            if msgs:
                last = time.monotonic()
            elif time.monotonic() - last > timeout_s:
                break
    finally:
        consumer.close()
    return out


def read_predictions(bootstrap, topic="predictions", max_records=None, timeout_s=30, group_id=None, config=None,
                     from_beginning=True, schema_dir=None):
    """DonorPredictions as a pandas DataFrame, one row per prediction (see README for the columns)."""
    recs = read_records(bootstrap, topic, "DonorPrediction", max_records, timeout_s, group_id, config,
                        from_beginning, schema_dir)
    return predictions_frame(recs)


def read_dead_letters(bootstrap, topic="cells-dlq", max_records=None, timeout_s=30, group_id=None, config=None,
                      from_beginning=True, schema_dir=None):
    """DeadLetters as a DataFrame: reason, detail, source topic/partition/offset, failed_at, the raw
    record, and cell_id (the raw key as text)."""
    import pandas as pd
    recs = read_records(bootstrap, topic, "DeadLetter", max_records, timeout_s, group_id, config,
                        from_beginning, schema_dir)
    cols = ["cell_id", "reason", "detail", "source_topic", "source_partition", "source_offset", "failed_at",
            "raw_key", "raw"]
    for r in recs:
        r["cell_id"] = r["raw_key"].decode("utf-8", "replace") if r["raw_key"] is not None else None
    df = pd.DataFrame(recs, columns=cols)
    df["failed_at"] = pd.to_datetime(df["failed_at"].astype("int64"), unit="ms", utc=True)
    return df


PREDICTION_COLUMNS = [
    "cell_id", "dataset_id", "event_time", "scored_at", "model_name", "model_version", "predicted_donor",
    "confidence", "unknown_donor", "top_k",
    "top1_donor", "top1_probability", "top2_donor", "top2_probability", "top3_donor", "top3_probability",
    "cell_type", "true_donor_id", "sex", "novelty", "latent",
]


def predictions_frame(records):
    """Decoded DonorPrediction dicts -> DataFrame (times as UTC timestamps, top_k flattened to top1..3)."""
    import pandas as pd
    rows = []
    for r in records:
        top = [(s["donor_id"], s["probability"]) for s in r["top_k"]]
        row = dict(r, top_k=top)
        for i in range(3):
            d, p = top[i] if i < len(top) else (None, float("nan"))
            row[f"top{i + 1}_donor"] = d
            row[f"top{i + 1}_probability"] = p
        rows.append(row)
    df = pd.DataFrame(rows, columns=PREDICTION_COLUMNS)
    for c in ("event_time", "scored_at"):
        df[c] = pd.to_datetime(df[c].astype("int64"), unit="ms", utc=True)
    df["novelty"] = df["novelty"].astype(float)  # null -> NaN
    df["unknown_donor"] = df["unknown_donor"].astype(bool)
    return df
