"""Issue 13: the history of a walk (edits keep the original; a delete can be undone)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("walking", "0003_i10_screening_review")]

    operations = [
        migrations.CreateModel(
            name="WalkRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("walk_id", models.PositiveBigIntegerField(db_index=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[("edit", "edit"), ("delete", "delete")], max_length=8
                    ),
                ),
                ("data", models.JSONField()),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("restored_at", models.DateTimeField(blank=True, null=True)),
                (
                    "walker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="walk_revisions",
                        to="walking.walker",
                    ),
                ),
            ],
            options={"ordering": ["at", "id"]},
        ),
    ]
