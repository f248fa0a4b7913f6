"""Trigram indexes for the staff's text search, on PostgreSQL only.

gasken.pages.search filters with icontains, which PostgreSQL runs as
UPPER(column::text) LIKE UPPER('%word%'): a GIN index with gin_trgm_ops on UPPER(column)
answers that without reading the whole table. SQLite has no such index and keeps scanning.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """An index that only PostgreSQL has. It stays out of the models' state, so SQLite never
    meets it, not even when it rebuilds a table for a later migration."""

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    # Creating already skips other databases; removing it must skip them too.
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(model_name, field_name, name):
    index = GinIndex(OpClass(Upper(field_name), name="gin_trgm_ops"), name=name)
    return AddIndexOnPostgreSQL(model_name, index)


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0009_child_latest_haz_category"),
    ]

    operations = [
        # pg_trgm is a trusted extension: the database owner may create it.
        TrigramExtensionOnPostgreSQL(),
        trigram_index("child", "name", "child_name_trgm"),
        trigram_index("child", "mother_name", "child_mother_name_trgm"),
        trigram_index("child", "nik", "child_nik_trgm"),
        trigram_index("submission", "child_name", "submission_child_name_trgm"),
        trigram_index("submission", "mother_name", "submission_mother_name_trgm"),
        trigram_index("submission", "child_nik", "submission_child_nik_trgm"),
    ]
