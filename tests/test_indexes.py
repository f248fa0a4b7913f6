"""The indexes the staff lists rely on at 100,000 children exist on PostgreSQL, and the
trigram indexes serve the very queries the search runs. SQLite has no trigram indexes."""

import pytest
from django.db import connection

from gasken.pages import search
from registrations.models import Child, Submission

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes"),
]

# table: {index name: columns}
BTREE = {
    "registrations_submission": {
        "submission_created_id": ["created_at", "id"],
        "submission_status_created_id": ["status", "created_at", "id"],
        "submission_village_created_id": ["village_id", "created_at", "id"],
        "submission_birth_date": ["birth_date"],
    },
    "registrations_child": {
        "child_name_id": ["name", "id"],
        "child_village_haz_name_id": ["village_id", "latest_haz_category", "name", "id"],
    },
    "interventions_intervention": {
        "intervention_planned_end_id": ["planned_end", "id"],
        "intervention_open_partner_due": ["partner_id", "planned_end", "id"],
    },
}

# table: {index name: column inside UPPER(...)}
TRIGRAM = {
    "registrations_child": {
        "child_name_trgm": "name",
        "child_mother_name_trgm": "mother_name",
        "child_nik_trgm": "nik",
    },
    "registrations_submission": {
        "submission_child_name_trgm": "child_name",
        "submission_mother_name_trgm": "mother_name",
        "submission_child_nik_trgm": "child_nik",
    },
}


def constraints(table):
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


@pytest.mark.parametrize("table", BTREE)
def test_the_list_indexes_exist(table):
    found = constraints(table)
    for name, columns in BTREE[table].items():
        assert found[name]["index"], name
        assert found[name]["columns"] == columns, name


@pytest.mark.parametrize("table", TRIGRAM)
def test_the_trigram_indexes_exist(table):
    found = constraints(table)
    for name, column in TRIGRAM[table].items():
        assert found[name]["type"] == "gin", name
        assert f"upper(({column})::text) gin_trgm_ops" in found[name]["definition"], name


@pytest.mark.parametrize(
    "q, fields, index",
    [
        (Child.objects.all(), ["name", "mother_name", "nik"], "child_name_trgm"),
        (
            Submission.objects.all(),
            ["child_name", "mother_name", "child_nik"],
            "submission_child_name_trgm",
        ),
    ],
)
def test_the_search_uses_the_trigram_indexes(q, fields, index):
    # On a nearly empty table the planner would rightly read the table, or walk another
    # index; forbid both to see whether the trigram index answers the search's query.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = search(q.order_by(), "rizki", fields).explain()
    assert index in plan
    assert "Seq Scan" not in plan
