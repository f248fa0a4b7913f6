"""A child's personal data in one ZIP file, for a subject-access request (UU No. 27/2022
Pasal 32): every record about the child, with its documents and photos."""

import io
import json
import zipfile
from pathlib import PurePosixPath

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

# Records are followed this many links away from the child: its reports, measurements,
# decisions and interventions, and what hangs off those (documents, versions,
# deliveries). Access-log entries about the documents are one step further: they are
# about staff, not the child.
DEPTH = 2


def child_records(child):
    """The child and every record that refers to it (up to DEPTH steps), found through
    the models' relations, so that a table added later is exported without a change here.
    The edit history of each record (simple-history) is included."""
    found = {(child._meta.label, child.pk): child}
    layer = [child]
    for _ in range(DEPTH):
        next_layer = []
        for obj in layer:
            for relation in obj._meta.related_objects:
                if relation.many_to_many or _is_history(relation.related_model):
                    continue
                for related in _related(obj, relation):
                    key = (related._meta.label, related.pk)
                    if key not in found:
                        found[key] = related
                        next_layer.append(related)
        layer = next_layer
    records = list(found.values())
    for obj in list(records):
        if hasattr(type(obj), "history"):
            records.extend(obj.history.all())
    return records


def child_data_zip(child):
    """The bytes of a ZIP holding data.json (every record) and berkas/ (every file)."""
    records = child_records(child)
    files, missing = [], []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for obj in records:
            if _is_history(type(obj)):
                continue
            for field in obj._meta.fields:
                if not isinstance(field, models.FileField):
                    continue
                stored = getattr(obj, field.name)
                if not stored:
                    continue
                path = (
                    f"berkas/{obj._meta.model_name}-{obj.pk}-{field.name}"
                    f"{PurePosixPath(stored.name).suffix}"
                )
                try:
                    with stored.open("rb") as f:
                        archive.writestr(path, f.read())
                except FileNotFoundError:
                    missing.append(stored.name)
                    continue
                files.append({"record": f"{obj._meta.label}#{obj.pk}", "file": path})

        by_model = {}
        for obj in records:
            by_model.setdefault(obj._meta.label, []).append(obj)
        data = {
            "keterangan": (
                "Data pribadi anak yang tersimpan di GASKEN, untuk permintaan subjek data "
                "(UU No. 27 Tahun 2022 Pasal 32)."
            ),
            "anak": f"{child._meta.label}#{child.pk}",
            "diekspor": timezone.now(),
            "data": {
                label: serializers.serialize("python", objs) for label, objs in by_model.items()
            },
            "berkas": files,
            "berkas_tidak_ditemukan": missing,
        }
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
    return out.getvalue()


def _is_history(model):
    return hasattr(model, "instance_type")


def _related(obj, relation):
    accessor = relation.get_accessor_name()
    if relation.one_to_one:
        try:
            return [getattr(obj, accessor)]
        except relation.related_model.DoesNotExist:
            return []
    return list(getattr(obj, accessor).all())
