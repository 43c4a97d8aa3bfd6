"""Interoperability app: FHIR download, iCalendar feed, JSON API and their tokens."""
