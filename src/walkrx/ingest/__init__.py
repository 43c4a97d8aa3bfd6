"""What every file reader shares, whatever the family.

The readers themselves live in two packages, one per family of file:

* :mod:`walkrx.sensors` — raw accelerometer recordings (Axivity ``.cwa``, ActiGraph ``.gt3x``,
  CSV in g): path in, samples in g with UTC times out;
* :mod:`walkrx.importers` — phone and watch exports (Apple Health, FIT, GPX, Fitbit JSON, step
  CSV): path in, :mod:`walkrx.consumer` records out.

This package holds the error types both families raise (:mod:`walkrx.ingest.errors`): a
message that names the file, the place in it and the problem.
"""

from walkrx.ingest.errors import FileReadError, ImportFileError, ReaderError

__all__ = ["FileReadError", "ImportFileError", "ReaderError"]
