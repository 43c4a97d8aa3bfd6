"""The prolog (XML declaration and internal DTD): checked for hostile declarations, then dropped."""

from __future__ import annotations

import codecs
from typing import IO

from walkrx.consumer.records import ImportFileError

from .syntax import (
    _COMMENT_RE,
    _ENCODING_RE,
    _ENTITY_DECL_RE,
    _EXTERNAL_ID_RE,
    _OTHER_ROOT_RE,
    _PE_REF_RE,
    _ROOT_RE,
    PROLOG_MAX_BYTES,
    SNIFF_BYTES,
)


def _check_prolog(prolog: bytes, path: str) -> None:
    """Refuse entity/notation declarations, parameter entities and external DTD identifiers."""
    if _ENTITY_DECL_RE.search(prolog):
        raise ImportFileError(
            path,
            "refused: the DTD declares an entity; entity declarations are never accepted "
            "(entity-expansion and external-entity attacks)",
            "prolog",
        )
    if _EXTERNAL_ID_RE.search(prolog):
        raise ImportFileError(
            path, "refused: the DOCTYPE references an external DTD (SYSTEM/PUBLIC)", "prolog"
        )
    if _PE_REF_RE.search(_COMMENT_RE.sub(b"", prolog)):
        raise ImportFileError(path, "refused: the DTD uses a parameter entity reference", "prolog")


def _read_prolog(stream: IO[bytes], path: str) -> tuple[bytes, int, bytes]:
    """Read until the root start tag. Return ``(prolog, root offset, bytes read so far)``."""
    data = b""
    while True:
        m = _ROOT_RE.search(data)
        if m is not None:
            prolog = data[: m.start()]
            _check_prolog(prolog, path)
            return prolog, m.start(), data
        other = _OTHER_ROOT_RE.search(_COMMENT_RE.sub(b"", data))
        if other is not None and other.group(1) != b"HealthData":
            _check_prolog(data, path)
            raise ImportFileError(
                path,
                f"not an Apple Health export: the root element is <{other.group(1).decode('ascii', 'replace')}>",
            )
        if len(data) > PROLOG_MAX_BYTES:
            _check_prolog(data, path)
            raise ImportFileError(
                path, f"no <HealthData> root in the first {PROLOG_MAX_BYTES} bytes"
            )
        chunk = stream.read(SNIFF_BYTES)
        if not chunk:
            _check_prolog(data, path)
            raise ImportFileError(path, "not an Apple Health export: no <HealthData> element")
        data += chunk


def _declared_encoding(prolog: bytes) -> str:
    m = _ENCODING_RE.match(prolog.lstrip(codecs.BOM_UTF8))
    return m.group(1).decode("ascii").lower() if m else "utf-8"
