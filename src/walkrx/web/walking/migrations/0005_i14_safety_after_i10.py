"""Issue 14 after issue 10's safety-event changes: the kind/urgency check constraints with
the new kinds and urgency, and the append-only triggers created again (on SQLite, altering
``walking_safetyevent`` in ``0003_i10_screening_review`` rebuilt the table without them).
"""

import importlib

from django.db import migrations, models

_triggers = importlib.import_module("walkrx.web.walking.migrations.0002_i14_safety_triggers")


class Migration(migrations.Migration):
    dependencies = [
        ("walking", "0004_merge_i14_i10"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="safetyevent",
            name="safetyevent_known_kind",
        ),
        migrations.RemoveConstraint(
            model_name="safetyevent",
            name="safetyevent_known_urgency",
        ),
        migrations.AddConstraint(
            model_name="safetyevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        (
                            "screening",
                            "red-flag",
                            "clinician-pause",
                            "escalation",
                            "clinician-clearance",
                            "self-reported-review",
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
                    (
                        "urgency__in",
                        (
                            "",
                            "emergency",
                            "same-day",
                            "within-days",
                            "review",
                            "review-keep-walking",
                        ),
                    )
                ),
                name="safetyevent_known_urgency",
            ),
        ),
        migrations.RunPython(_triggers.create_triggers, _triggers.drop_triggers),
    ]
