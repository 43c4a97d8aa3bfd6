"""Issue 14: the safety log is append-only in the database itself.

Triggers on SQLite and PostgreSQL refuse every UPDATE and DELETE of a safety event,
whoever sends it (ORM, base manager, raw SQL). The one exception is the documented
erasure path (``services.erase_walker``): inside its transaction the walker is listed
in ``walking_safetyerasure`` and the delete trigger lets that walker's rows go.
Check constraints refuse an unknown kind or urgency.

Note for later migrations: on SQLite, altering ``walking_safetyevent`` rebuilds the
table and drops its triggers; such a migration must call ``create_triggers`` again
(``tests/web/walker/test_safety_append_only.py`` fails if the triggers are missing).
"""

from django.db import migrations, models

MESSAGE = "safety events are append-only: UPDATE and DELETE are refused"

SQLITE = [
    f"""CREATE TRIGGER walking_safetyevent_no_update BEFORE UPDATE ON walking_safetyevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER walking_safetyevent_no_delete BEFORE DELETE ON walking_safetyevent
    WHEN NOT EXISTS (SELECT 1 FROM walking_safetyerasure WHERE walker_id = OLD.walker_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS walking_safetyevent_no_update",
    "DROP TRIGGER IF EXISTS walking_safetyevent_no_delete",
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION walking_safetyevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
            SELECT 1 FROM walking_safetyerasure WHERE walker_id = OLD.walker_id
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER walking_safetyevent_append_only
    BEFORE UPDATE OR DELETE ON walking_safetyevent
    FOR EACH ROW EXECUTE FUNCTION walking_safetyevent_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS walking_safetyevent_append_only ON walking_safetyevent",
    "DROP FUNCTION IF EXISTS walking_safetyevent_append_only()",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP + SQLITE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP + POSTGRES)
    else:
        raise RuntimeError(f"walkrx supports SQLite and PostgreSQL, not {vendor}")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("walking", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SafetyErasure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("walker_id", models.BigIntegerField(unique=True)),
            ],
        ),
        migrations.AlterModelOptions(
            name="safetyevent",
            options={"base_manager_name": "objects", "ordering": ["at_utc", "id"]},
        ),
        migrations.AddConstraint(
            model_name="safetyevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        (
                            "red-flag",
                            "clinician-pause",
                            "escalation",
                            "clinician-clearance",
                            "medical-review-confirmed",
                            "flare-start",
                            "flare-settled",
                        ),
                    )
                ),
                name="safetyevent_known_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="safetyevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("urgency__in", ("", "emergency", "same-day", "within-days", "review"))
                ),
                name="safetyevent_known_urgency",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
