"""Session store: Django's database sessions, read by one precompiled query.

The same table, cookie and signing as ``django.contrib.sessions.backends.db`` (sessions
made before this store still work); only the read on every request skips the ORM's query
compiler (see :mod:`walkrx.web.rows`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from ..rows import one_by


class SessionStore(DatabaseSessionStore):
    """Database sessions; an unknown or expired key reads as no session, as Django's."""

    def _get_session_from_db(self) -> Any:
        row = one_by(
            self.model,
            "session_key",
            self.session_key,
            extra_where='"expire_date" > %s',
            extra_params=(timezone.now(),),
        )
        if row is None:
            self._session_key = None
        return row
