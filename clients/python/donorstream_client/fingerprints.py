"""Prints `Name %016x` per schema: the fingerprint as a number (as Java's Long.toHexString prints it,
zero-padded to 16 digits), not in the header's little-endian byte order.

Importing this module replaces the package attribute `donorstream_client.fingerprints` (the function)
with the module; the function stays at donorstream_client.schemas.fingerprints.
"""
import argparse

from .schemas import fingerprints


def main(argv=None):
    p = argparse.ArgumentParser(description="Print the Avro schemas' fingerprints.")
    p.add_argument("--schemas", help="directory of .avsc files (default: $DONORSTREAM_SCHEMAS, else the repository's)")
    a = p.parse_args(argv)
    try:
        fps = fingerprints(a.schemas)
    except FileNotFoundError as e:
        raise SystemExit(f"error: {e}")
    for name, fp in fps.items():
        print(f"{name} {fp:016x}")


if __name__ == "__main__":
    main()
