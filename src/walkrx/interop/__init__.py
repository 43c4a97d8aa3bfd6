"""Interoperability builders: FHIR R4, iCalendar and table files from plain data.

Pure: no Django, no database, no network. The web layer (``walkrx.web.interop``)
collects a walker's rows into the dataclasses here and hands the results out.

* :mod:`walkrx.interop.fhir` builds a FHIR R4 ``Bundle`` (type ``collection``).
* :mod:`walkrx.interop.fhir_check` validates resources against the R4 (4.0.1) definitions.
* :mod:`walkrx.interop.fhir_read` reads such a bundle back (the round trip).
* :mod:`walkrx.interop.ical` builds an RFC 5545 calendar of planned walks.
* :mod:`walkrx.interop.tables` writes CSV and Parquet files with the same columns.
"""
