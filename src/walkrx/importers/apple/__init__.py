"""Apple Health ``export.zip`` / ``export.xml``: step counts, walking distance, walking workouts.

Streaming, flat memory, hostile XML refused:

* **Prolog first** (:mod:`.prolog`). The bytes before the root ``<HealthData`` element (XML
  declaration and the internal DTD Apple writes) are scanned and then *dropped*: no parser ever
  sees the DTD. Any ``<!ENTITY`` / ``<!NOTATION`` declaration, parameter-entity reference or
  external identifier (``SYSTEM``/``PUBLIC``) is refused at once with :class:`ImportFileError`
  (billion laughs, XXE). Because the DTD is never parsed, the broken DTDs some iOS versions
  wrote do not matter.
* **Fast path** (:mod:`.fast`). The body is read in large blocks. The wanted ``<Record>``s of a
  block in Apple's own attribute layout are read in one regex pass and converted as columns
  (:mod:`.vector`); other layouts are parsed generically, record by record (any order, either
  quote, predefined and character references only; an undefined entity is an error).
  ``<Workout>`` elements are parsed with their children. A block holding anything unusual for
  an Apple export (a comment, CDATA, a processing instruction, a DOCTYPE, a non-UTF-8 encoding,
  a tag the regex cannot read) switches to the standard parser, which then skips the records
  the fast path already yielded (both paths share the record-building code, :mod:`.build`, so
  they agree record for record; the tests check that).
* **Standard path** (:mod:`.standard`). :func:`defusedxml.ElementTree.iterparse` with DTDs
  forbidden, over the body with the DTD replaced by blank lines (line numbers in errors stay
  right), through a filter that strips characters XML forbids (stray control characters are a
  known export defect).
* **Parallel reading** (:mod:`.split`). A large plain ``export.xml`` is cut at record
  boundaries into parts read by the fast path in two processes at once; any part that would
  need the standard parser makes the whole file be read in order instead.

The fast path does not check the well-formedness of everything it skips (heart-rate records and
so on); it does check that the document ends with ``</HealthData>`` (a truncated export is an
error). Use ``parser="xml"`` for the strict standard parser.
"""

from .build import RouteResolver, describe_device, interval_from_attrs, workout_from_parts
from .container import find_export_member, is_apple_export
from .reader import iter_apple, iter_apple_items
from .syntax import (
    BLOCK_BYTES,
    DISTANCE_TYPE,
    LENGTH_TO_M,
    MAX_RECORD_VALUE,
    STEP_TYPE,
    WANTED_TYPES,
    WORKOUT_ACTIVITIES,
)
from .times import parse_apple_time

__all__ = [
    "BLOCK_BYTES",
    "DISTANCE_TYPE",
    "LENGTH_TO_M",
    "MAX_RECORD_VALUE",
    "STEP_TYPE",
    "WANTED_TYPES",
    "WORKOUT_ACTIVITIES",
    "RouteResolver",
    "describe_device",
    "find_export_member",
    "interval_from_attrs",
    "is_apple_export",
    "iter_apple",
    "iter_apple_items",
    "parse_apple_time",
    "workout_from_parts",
]
