"""Avro binary encoding and single-object encoding (C3 01 + 8-byte little-endian fingerprint + body).

Readers and writers are compiled once per schema into closures: python3-avro's DatumReader decodes
a float array one float at a time, here a float array is one numpy.frombuffer.
"""
import struct

import numpy as np

from .schemas import PRIMITIVES, fingerprint, load_schemas

MAGIC = b"\xc3\x01"
HEADER_LENGTH = 10


class DecodeError(ValueError):
    """A value that is not a record of the expected schema (damaged, truncated or foreign)."""


def header(fp: int) -> bytes:
    return MAGIC + struct.pack("<Q", fp)


# ---- primitives -------------------------------------------------------------------------------

def varint(n: int) -> bytes:
    """Unsigned LEB128 of a non-negative int (Avro longs are this of the zig-zag value)."""
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def encode_long(n: int) -> bytes:
    return varint((n << 1) ^ (n >> 63))


def encode_string(s: str) -> bytes:
    b = s.encode("utf-8")
    return encode_long(len(b)) + b


class _Buf:
    __slots__ = ("data", "pos")

    def __init__(self, data, pos=0):
        self.data = data
        self.pos = pos


def _read_long(r):
    data, pos = r.data, r.pos
    b = data[pos]
    n, shift = b & 0x7F, 7
    while b & 0x80:
        pos += 1
        b = data[pos]
        n |= (b & 0x7F) << shift
        shift += 7
    r.pos = pos + 1
    return (n >> 1) ^ -(n & 1)


def _read_bytes(r):
    n = _read_long(r)
    if n < 0 or r.pos + n > len(r.data):
        raise IndexError("length past the end")
    start = r.pos
    r.pos = start + n
    return bytes(r.data[start:r.pos])


def _read_string(r):
    return _read_bytes(r).decode("utf-8")


def _read_fixed_struct(fmt, size):
    unpack = struct.Struct(fmt).unpack_from

    def read(r):
        v = unpack(r.data, r.pos)[0]
        r.pos += size
        return v
    return read


def _read_boolean(r):
    v = r.data[r.pos]
    r.pos += 1
    return v == 1


_PRIM_READERS = {
    "null": lambda r: None,
    "boolean": _read_boolean,
    "int": _read_long,
    "long": _read_long,
    "float": _read_fixed_struct("<f", 4),
    "double": _read_fixed_struct("<d", 8),
    "bytes": _read_bytes,
    "string": _read_string,
}


def _write_float(v, out):
    out.append(struct.pack("<f", v))


_PRIM_WRITERS = {
    "null": lambda v, out: None,
    "boolean": lambda v, out: out.append(b"\x01" if v else b"\x00"),
    "int": lambda v, out: out.append(encode_long(int(v))),
    "long": lambda v, out: out.append(encode_long(int(v))),
    "float": _write_float,
    "double": lambda v, out: out.append(struct.pack("<d", v)),
    "bytes": lambda v, out: out.append(encode_long(len(v)) + bytes(v)),
    "string": lambda v, out: out.append(encode_string(v)),
}


# ---- schema compilation -----------------------------------------------------------------------

def _type_of(s):
    """The type name of a schema (primitive name, complex type, or a named type's full name)."""
    if isinstance(s, str):
        return s
    if isinstance(s, list):
        return "union"
    t = s["type"]
    return _type_of(t) if isinstance(t, (dict, list)) else t


class _Compiler:
    """Turns a parsed JSON schema into reader and writer closures, resolving named types."""

    def __init__(self):
        self.named = {}  # full name -> schema dict
        self.readers = {}
        self.writers = {}

    def _resolve(self, s, ns):
        """(schema, namespace) to compile; namespace None marks a reference to a named type."""
        if isinstance(s, list):
            return s, ns
        if isinstance(s, dict) and isinstance(s.get("type"), (dict, list)):
            return self._resolve(s["type"], ns)
        if isinstance(s, dict) and s.get("type") in ("record", "error", "enum", "fixed"):
            full = s["name"] if "." in s["name"] else ".".join(x for x in (s.get("namespace", ns), s["name"]) if x)
            self.named[full] = s
            return s, (full.rsplit(".", 1)[0] if "." in full else "")
        name = s if isinstance(s, str) else s.get("type")
        if isinstance(name, str) and name not in PRIMITIVES and name not in ("array", "map"):
            for cand in (f"{ns}.{name}" if ns and "." not in name else name, name):
                if cand in self.named:
                    return self.named[cand], None  # already compiled under its own name
            raise ValueError(f"unknown Avro type {name!r}")
        return s, ns

    def reader(self, s, ns=""):
        s, ns2 = self._resolve(s, ns)
        if ns2 is None:  # a reference: look the compiled reader up when called (recursion-safe)
            key = id(s)
            return lambda r: self.readers[key](r)
        t = _type_of(s)
        if t in PRIMITIVES:
            return _PRIM_READERS[t]
        if t == "union":
            branches = [self.reader(b, ns2) for b in s]

            def read_union(r):
                return branches[_read_long(r)](r)
            return read_union
        if t == "array":
            items = s["items"]
            if _type_of(items) in ("float", "double"):
                dtype = "<f4" if _type_of(items) == "float" else "<f8"
                return lambda r: _read_numeric_array(r, dtype)
            item = self.reader(items, ns2)
            return lambda r: _read_blocks(r, lambda: item(r), list.append, [])
        if t == "map":
            value = self.reader(s["values"], ns2)

            def read_map(r):
                d = {}
                _read_blocks(r, lambda: (_read_string(r), value(r)), lambda acc, kv: acc.__setitem__(*kv), d)
                return d
            return read_map
        if t == "enum":
            symbols = list(s["symbols"])
            self.readers[id(s)] = read_enum = lambda r: symbols[_read_long(r)]
            return read_enum
        if t == "fixed":
            size = int(s["size"])

            def read_fixed(r):
                r.pos += size
                if r.pos > len(r.data):
                    raise IndexError("fixed past the end")
                return bytes(r.data[r.pos - size:r.pos])
            self.readers[id(s)] = read_fixed
            return read_fixed
        if t in ("record", "error"):
            fields = []

            def read_record(r):
                return {name: read(r) for name, read in fields}
            self.readers[id(s)] = read_record  # before the fields: a field may refer back
            fields.extend((f["name"], self.reader(f["type"], ns2)) for f in s["fields"])
            return read_record
        raise ValueError(f"unknown Avro type {t!r}")

    def writer(self, s, ns=""):
        s, ns2 = self._resolve(s, ns)
        if ns2 is None:
            key = id(s)
            return lambda v, out: self.writers[key](v, out)
        t = _type_of(s)
        if t in PRIMITIVES:
            return _PRIM_WRITERS[t]
        if t == "union":
            branches = [(_type_of(b if not isinstance(b, str) or b in PRIMITIVES else self._resolve(b, ns2)[0]),
                         self.writer(b, ns2)) for b in s]
            heads = [encode_long(i) for i in range(len(branches))]

            def write_union(v, out):
                for i, (bt, write) in enumerate(branches):
                    if _matches(bt, v):
                        out.append(heads[i])
                        write(v, out)
                        return
                raise ValueError(f"{v!r} fits no branch of union {[b for b, _ in branches]}")
            return write_union
        if t == "array":
            if _type_of(s["items"]) in ("float", "double"):
                dtype = "<f4" if _type_of(s["items"]) == "float" else "<f8"

                def write_numeric(v, out):
                    a = np.asarray(v, dtype)
                    if len(a):
                        out.append(encode_long(len(a)))
                        out.append(a.tobytes())
                    out.append(b"\x00")
                return write_numeric
            item = self.writer(s["items"], ns2)

            def write_array(v, out):
                if len(v):
                    out.append(encode_long(len(v)))
                    for x in v:
                        item(x, out)
                out.append(b"\x00")
            return write_array
        if t == "map":
            value = self.writer(s["values"], ns2)

            def write_map(v, out):
                if len(v):
                    out.append(encode_long(len(v)))
                    for k, x in v.items():
                        out.append(encode_string(k))
                        value(x, out)
                out.append(b"\x00")
            return write_map
        if t == "enum":
            index = {sym: encode_long(i) for i, sym in enumerate(s["symbols"])}
            self.writers[id(s)] = write_enum = lambda v, out: out.append(index[v])
            return write_enum
        if t == "fixed":
            self.writers[id(s)] = write_fixed = lambda v, out: out.append(bytes(v))
            return write_fixed
        if t in ("record", "error"):
            fields = []

            def write_record(v, out):
                for name, write in fields:
                    write(v.get(name), out)
            self.writers[id(s)] = write_record
            fields.extend((f["name"], self.writer(f["type"], ns2)) for f in s["fields"])
            return write_record
        raise ValueError(f"unknown Avro type {t!r}")


def _matches(t, v):
    if t == "null":
        return v is None
    if v is None:
        return False
    if t == "boolean":
        return isinstance(v, (bool, np.bool_))
    if t in ("int", "long"):
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool)
    if t in ("float", "double"):
        return isinstance(v, (int, float, np.floating, np.integer)) and not isinstance(v, bool)
    if t in ("string", "enum"):
        return isinstance(v, str)
    if t in ("bytes", "fixed"):
        return isinstance(v, (bytes, bytearray, memoryview))
    if t == "array":
        return isinstance(v, (list, tuple, np.ndarray))
    return isinstance(v, dict)  # map, record


def _read_blocks(r, read_item, add, acc):
    while True:
        n = _read_long(r)
        if n == 0:
            return acc
        if n < 0:  # a negative count is followed by the block's size in bytes
            n = -n
            _read_long(r)
        for _ in range(n):
            add(acc, read_item())


def _read_numeric_array(r, dtype):
    size = np.dtype(dtype).itemsize
    parts = []
    while True:
        n = _read_long(r)
        if n == 0:
            break
        if n < 0:
            n = -n
            _read_long(r)
        end = r.pos + n * size
        if end > len(r.data):
            raise IndexError("array past the end")
        parts.append(np.frombuffer(r.data, dtype, n, r.pos).astype(np.float32 if size == 4 else np.float64))
        r.pos = end
    if not parts:
        return np.empty(0, np.float32 if size == 4 else np.float64)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


# ---- single-object encoding -------------------------------------------------------------------

class Codec:
    """Single-object encoding of one record type of the project (e.g. Codec('DonorPrediction'))."""

    def __init__(self, name: str, schema_dir=None, schemas=None):
        schemas = schemas if schemas is not None else load_schemas(schema_dir)
        if name not in schemas:
            raise KeyError(f"no schema named {name!r}; known: {sorted(schemas)}")
        self.name = name
        self.schema = schemas[name]
        self.fingerprint = fingerprint(self.schema)
        self.header = header(self.fingerprint)
        # Fingerprints of the other records, to say what a foreign record is.
        self._others = {fingerprint(s): n for n, s in schemas.items() if n != name}
        c = _Compiler()
        self._read = c.reader(self.schema)
        self._write = _Compiler().writer(self.schema)

    def encode_body(self, record: dict) -> bytes:
        out = []
        self._write(record, out)
        return b"".join(out)

    def encode(self, record: dict) -> bytes:
        return self.header + self.encode_body(record)

    def check_header(self, value) -> None:
        if value is None or len(value) < HEADER_LENGTH:
            raise DecodeError(f"{0 if value is None else len(value)} bytes are shorter than the "
                              f"10-byte Avro single-object header of a {self.name}")
        if value[:2] != MAGIC:
            raise DecodeError(f"not Avro single-object encoded: starts with {bytes(value[:2]).hex()}, not c301")
        if value[:HEADER_LENGTH] != self.header:
            got = struct.unpack_from("<Q", value, 2)[0]
            what = f" (a {self._others[got]})" if got in self._others else ""
            raise DecodeError(f"writer schema fingerprint {got:016x}{what} is not {self.name}'s "
                              f"{self.fingerprint:016x}; was the record written with another schema version?")

    def decode_body(self, body, pos=0) -> dict:
        r = _Buf(body, pos)
        try:
            rec = self._read(r)
        except (IndexError, struct.error) as e:
            raise DecodeError(f"{self.name} body ends early ({len(body)} bytes)") from e
        except UnicodeDecodeError as e:
            raise DecodeError(f"malformed {self.name} body: {e}") from e
        if r.pos != len(body):
            raise DecodeError(f"{len(body) - r.pos} unread bytes after a complete {self.name}")
        return rec

    def decode(self, value) -> dict:
        self.check_header(value)
        return self.decode_body(value, HEADER_LENGTH)
