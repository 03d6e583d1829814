# The directory's and the employees API's name search at 50,000 employees (issue #13): `name__icontains` is
# UPPER(name) LIKE '%…%', served by a trigram index on UPPER(name). The index is created with raw SQL because
# Django 5.2 wraps an OpClass expression in a second pair of parentheses, which PostgreSQL refuses.

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = django.contrib.postgres.indexes.GinIndex(
    django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"),
    name="people_empl_name_trgm",
)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0012_access_viewer_subject"),
    ]

    operations = [
        TrigramExtension(),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="employee", index=INDEX)],
            database_operations=[
                migrations.RunSQL(
                    'CREATE INDEX "people_empl_name_trgm" ON "people_employee" USING gin ((UPPER("name")) gin_trgm_ops)',
                    'DROP INDEX IF EXISTS "people_empl_name_trgm"',
                )
            ],
        ),
    ]
