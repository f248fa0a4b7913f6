"""The apps import only from the apps to their left (DESIGN.md), in code, templates and URLs:
registrations <- verification <- interventions <- monitoring."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["registrations", "verification", "interventions", "monitoring"]


def _right_of(app):
    return ORDER[ORDER.index(app) + 1 :]


def _python_files(app):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("app", ORDER[:-1])
def test_code_imports_only_apps_to_the_left(app):
    right = "|".join(_right_of(app))
    # Imports, and permissions or URL names of an app to the right.
    pattern = re.compile(rf"^\s*(from|import)\s+({right})\b|['\"]({right})[.:]\w", re.M)
    offenders = [
        str(p.relative_to(ROOT)) for p in _python_files(app) if pattern.search(p.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("app", ORDER[:-1])
def test_templates_name_only_apps_to_the_left(app):
    right = "|".join(_right_of(app))
    # URL names and permissions of an app to the right. Its template tags and partials are
    # how it adds a section to a page on the left, so including them is allowed.
    pattern = re.compile(rf"['\"]({right}):|perms\.({right})\b")
    folder = ROOT / "templates" / app
    offenders = [
        str(p.relative_to(ROOT)) for p in folder.rglob("*.html") if pattern.search(p.read_text())
    ]
    assert offenders == []


def test_the_scan_finds_a_reference_to_the_right(tmp_path):
    # The patterns above would catch what they are meant to.
    sample = "{% url 'interventions:assign' %} {{ perms.interventions.add_intervention }}"
    assert re.search(r"['\"](interventions|monitoring):", sample)
    assert re.search(r"perms\.(interventions|monitoring)\b", sample)
    assert re.search(r"^\s*(from|import)\s+(interventions)\b", "from interventions.models import X")
