"""The project's Avro schemas, their Parsing Canonical Form and CRC-64-AVRO fingerprints.

Both are implemented from the Avro 1.11 specification ("Parsing Canonical Form for Schemas" and
"Schema Fingerprints") rather than taken from python3-avro: Debian's python3-avro 1.11.1 keeps
logical types in its canonical form ({"type":"long"} instead of "long"), so its fingerprints differ
from Java's SchemaNormalization.parsingFingerprint64, which the job checks in every header.
"""
import json
import os
from pathlib import Path

# ../../../schemas/src/main/avro from this file: the repository's own schemas, so the client always
# speaks the schemas the Java side was generated from.
_REPO_SCHEMAS = Path(__file__).resolve().parent.parent.parent.parent / "schemas" / "src" / "main" / "avro"

PRIMITIVES = frozenset(["null", "boolean", "int", "long", "float", "double", "bytes", "string"])
_NAMED = frozenset(["record", "error", "enum", "fixed"])

EMPTY = 0xC15D213AA4D7A795
_MASK64 = 0xFFFFFFFFFFFFFFFF


def _fp_table():
    # The spec's reference initFPTable(), with Java's `EMPTY & -(fp & 1L)` written as a condition.
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY if fp & 1 else 0)
        table.append(fp)
    return table


_FP_TABLE = _fp_table()


def crc64_avro(data: bytes) -> int:
    """CRC-64-AVRO (Rabin) fingerprint of bytes, as an unsigned 64-bit int."""
    fp = EMPTY
    table = _FP_TABLE
    for b in data:
        fp = (fp >> 8) ^ table[(fp ^ b) & 0xFF]
    return fp & _MASK64


def schema_dir(path=None) -> Path:
    """Where the .avsc files are: the argument, else $DONORSTREAM_SCHEMAS, else the repository's."""
    d = Path(path or os.environ.get("DONORSTREAM_SCHEMAS") or _REPO_SCHEMAS)
    if not d.is_dir():
        raise FileNotFoundError(
            f"no Avro schema directory at {d}; pass schema_dir=... or set DONORSTREAM_SCHEMAS "
            "to the repository's schemas/src/main/avro")
    return d


def load_schemas(path=None) -> dict:
    """Record name -> parsed JSON schema, for every .avsc in the schema directory."""
    out = {}
    for f in sorted(schema_dir(path).glob("*.avsc")):
        s = json.loads(f.read_text(encoding="utf-8"))
        out[s["name"].rsplit(".", 1)[-1]] = s
    if not out:
        raise FileNotFoundError(f"no .avsc files in {schema_dir(path)}")
    return out


def _fullname(name, namespace):
    if "." in name or not namespace:
        return name
    return namespace + "." + name


def _space_of(fullname):
    return fullname.rsplit(".", 1)[0] if "." in fullname else ""


def canonical_form(schema) -> str:
    """Parsing Canonical Form of a schema (parsed JSON, or JSON text) per the Avro 1.11 spec."""
    if isinstance(schema, (str, bytes)) and not (isinstance(schema, str) and schema in PRIMITIVES):
        try:
            schema = json.loads(schema)
        except ValueError:
            pass  # a bare name such as "int" is not JSON text
    return _canon(schema, "", set())


def _str(s):
    # [STRINGS]: JSON string, non-ASCII kept as UTF-8 rather than \\u escapes; no whitespace.
    return json.dumps(s, ensure_ascii=False)


def _canon(s, namespace, seen):
    if isinstance(s, str):
        if s in PRIMITIVES:
            return _str(s)
        # A reference to a named type: always its full name. A name defined in the null namespace
        # is still found from inside another namespace (Java's parser falls back the same way).
        full = _fullname(s, namespace)
        if full not in seen and s in seen:
            full = s
        return _str(full)
    if isinstance(s, list):
        return "[" + ",".join(_canon(b, namespace, seen) for b in s) + "]"
    if not isinstance(s, dict):
        raise ValueError(f"not an Avro schema: {s!r}")
    t = s.get("type")
    if isinstance(t, (dict, list)):
        return _canon(t, namespace, seen)  # {"type": {...}} wraps a schema
    if t in PRIMITIVES:
        return _str(t)  # [PRIMITIVES]; [STRIP] drops logicalType and the rest
    if isinstance(t, str) and t not in _NAMED and t not in ("array", "map"):
        return _canon(t, namespace, seen)  # {"type": "SomeName"}: a reference
    # [ORDER] name, type, fields, symbols, items, values, size; [STRIP] drops everything else.
    parts = []
    if t in _NAMED:
        space = s.get("namespace", namespace) or ""
        full = _fullname(s["name"], space)
        if full in seen:
            return _str(full)  # a named type is written whole once only
        seen.add(full)
        namespace = _space_of(full)  # nested definitions inherit the enclosing name's space
        parts.append('"name":' + _str(full))
        t = "record" if t == "error" else t
    parts.append('"type":' + _str(t))
    if t == "record":
        fields = ",".join(
            '{"name":' + _str(f["name"]) + ',"type":' + _canon(f["type"], namespace, seen) + "}"
            for f in s["fields"])
        parts.append('"fields":[' + fields + "]")
    elif t == "enum":
        parts.append('"symbols":[' + ",".join(_str(x) for x in s["symbols"]) + "]")
    elif t == "array":
        parts.append('"items":' + _canon(s["items"], namespace, seen))
    elif t == "map":
        parts.append('"values":' + _canon(s["values"], namespace, seen))
    elif t == "fixed":
        parts.append('"size":' + str(int(s["size"])))  # [INTEGERS]: no quotes, no leading zeros
    else:
        raise ValueError(f"unknown Avro type {t!r}")
    return "{" + ",".join(parts) + "}"


def fingerprint(schema) -> int:
    """CRC-64-AVRO of the schema's Parsing Canonical Form (= Java's parsingFingerprint64, unsigned)."""
    return crc64_avro(canonical_form(schema).encode("utf-8"))


def fingerprints(path=None) -> dict:
    """Record name -> fingerprint (unsigned 64-bit int) of every schema in the schema directory."""
    return {name: fingerprint(s) for name, s in load_schemas(path).items()}
