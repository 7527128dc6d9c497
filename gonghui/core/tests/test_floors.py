"""The floors (DESIGN.md §3): core → accounts → orgs → feature apps → site, demo. Imports only run down.

Walks the imports (ast, at any depth, plus apps.get_model("<app>", …) which is an import by another name)
of every module under gonghui/ except tests/ and migrations/. The picture itself is drawn by
scripts/import_floors.py."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("import_floors", ROOT / "scripts" / "import_floors.py")
floors = importlib.util.module_from_spec(spec)
spec.loader.exec_module(floors)

GRAPH = floors.edges()


def arrows_from(app: str) -> dict[str, list[str]]:
    return {dst: where for (src, dst), where in GRAPH.items() if src == app}


@pytest.mark.parametrize(
    "app,allowed",
    [
        ("core", set()),
        ("accounts", {"core"}),
        ("orgs", {"core", "accounts"}),
    ],
)
def test_the_ground_floors_import_nothing_above_them(app, allowed):
    above = {dst: where for dst, where in arrows_from(app).items() if dst not in allowed}
    assert not above, f"{app} imports a floor above it: {above}"


def test_no_arrow_runs_back_up():
    assert floors.back_arrows(GRAPH) == []


def test_only_the_demo_uses_the_test_kit():
    users = {src for (src, dst) in GRAPH if dst == "testing"}
    assert users <= {"demo"}


def test_the_walk_sees_function_level_imports_and_get_model(tmp_path, monkeypatch):
    pkg = tmp_path / "gonghui"
    (pkg / "core").mkdir(parents=True)
    (pkg / "cases").mkdir()
    (pkg / "core" / "lazy.py").write_text(
        "def f():\n    from gonghui.cases import models\n\ndef g(apps):\n    apps.get_model('cases', 'X')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(floors, "ROOT", pkg)
    found = floors.edges()
    assert [line.split(":")[1] for line in found[("core", "cases")]] == ["2", "5"]
    assert floors.back_arrows(found) == [("core", "cases")]
