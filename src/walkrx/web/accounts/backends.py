"""Sign-in backend: Django's, with the signed-in user loaded by one precompiled query.

Every signed-in request loads its user by id; see :mod:`walkrx.web.rows` for why this
is written once rather than compiled by the ORM per request. Passwords, permissions and
``is_active`` are Django's ``ModelBackend`` unchanged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from ..rows import one_by, pk_column


class UserBackend(ModelBackend):
    """``ModelBackend`` whose per-request user lookup skips the ORM's query compiler."""

    def get_user(self, user_id: Any) -> Any:
        """The active user with this id, or ``None`` (as ``ModelBackend.get_user``)."""
        model = get_user_model()
        user = one_by(model, pk_column(model), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
