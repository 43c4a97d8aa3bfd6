"""Phone and watch exports: path in, :mod:`walkrx.consumer` records out.

One module per format — :mod:`~walkrx.importers.apple` (Apple Health ``export.zip`` /
``export.xml``), :mod:`~walkrx.importers.fit` (Garmin and other FIT files),
:mod:`~walkrx.importers.gpx`, :mod:`~walkrx.importers.fitbit` (Fitbit JSON) and
:mod:`~walkrx.importers.stepcsv` (a plain CSV of step counts). :func:`detect_format` picks the
format from the file's content and :func:`iter_records` streams its records. Every importer
raises only :class:`~walkrx.ingest.errors.ImportFileError`, naming the file, the place and the
problem. Raw accelerometer recordings are read by :mod:`walkrx.sensors`.
"""

from walkrx.importers.detect import FORMATS, detect_format, iter_records

__all__ = ["FORMATS", "detect_format", "iter_records"]
