"""Set up Django for CLI commands that touch the database."""

from __future__ import annotations

import os

_done = False


def setup(migrate: bool = True) -> None:
    """Configure Django once; create or upgrade the database schema when ``migrate``."""
    global _done
    if _done:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walkrx.web.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", interactive=False, verbosity=0)
    _done = True
