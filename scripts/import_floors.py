"""Draw the import picture of gonghui: which app imports which, the floors, and the arrows running back up.

    python scripts/import_floors.py          # summary
    python scripts/import_floors.py --edges  # every app→app arrow with the modules that make it

Walks every module under gonghui/ except tests/ and migrations/ with ast (imports at any depth, including
inside functions) and `apps.get_model("<app>", ...)` calls, which are imports by another name."""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "gonghui"

# The intended floors (DESIGN.md §3). An app not listed is a feature app.
# stats reads every feature app (the dashboards), so it sits on a floor of its own above them.
FLOORS = {"core": 0, "accounts": 1, "orgs": 2, "stats": 4, "site": 5, "demo": 5}
FEATURE = 3
# The test kit is beside the house: only tests, the demo and the kit itself may import it.
SIDE = {"testing"}


def floor(app: str) -> int:
    return FLOORS.get(app, FEATURE)


def skipped(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "tests" in parts or "migrations" in parts or parts[-1] == "conftest.py"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """(app, line) for every project app this module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path).split(".")
    is_pkg = path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here if is_pkg else here[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
                targets = [mod]
            else:
                targets = [node.module or ""]
                if node.module == "gonghui":
                    targets = [f"gonghui.{a.name}" for a in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            name = getattr(func, "attr", None) or getattr(func, "id", None)
            if name == "get_model" and node.args and isinstance(node.args[0], ast.Constant):
                label = str(node.args[0].value).split(".")[0]
                targets = [f"gonghui.{label}"]
        for t in targets:
            parts = t.split(".")
            if len(parts) >= 2 and parts[0] == "gonghui":
                found.add((parts[1], node.lineno))
    return found


def edges() -> dict[tuple[str, str], list[str]]:
    out = defaultdict(list)
    for path in sorted(ROOT.rglob("*.py")):
        if skipped(path):
            continue
        src = path.relative_to(ROOT).parts[0]
        if src.endswith(".py"):
            continue
        for app, line in sorted(imported_apps(path)):
            if app != src and (ROOT / app).is_dir():
                out[(src, app)].append(f"{path.relative_to(ROOT.parent)}:{line}")
    return dict(out)


def back_arrows(graph) -> list[tuple[str, str]]:
    bad = []
    for src, dst in graph:
        if (dst in SIDE and src not in SIDE | {"demo"}) or (src not in SIDE and floor(dst) > floor(src)):
            bad.append((src, dst))
    return sorted(bad)


def dependency_floors(graph) -> dict[str, int]:
    """Floors as the imports actually draw them: apps that import each other (directly or round a loop)
    share a floor; every other app sits one above the highest floor it imports."""
    apps = {a for e in graph for a in e} | {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    deps = defaultdict(set)
    for s, d in graph:
        deps[s].add(d)
    reachable = {a: reach(a, deps) for a in apps}
    group = {a: frozenset({a} | {b for b in reachable[a] if a in reachable[b]}) for a in apps}
    level = {}

    def lv(g):
        if g not in level:
            below = {group[d] for a in g for d in deps[a]} - {g}
            level[g] = max((lv(b) + 1 for b in below), default=0)
        return level[g]

    return {a: lv(group[a]) for a in apps}


def reach(start, deps, seen=None):
    seen = set() if seen is None else seen
    for d in deps[start]:
        if d not in seen:
            seen.add(d)
            reach(d, deps, seen)
    return seen


def main():
    graph = edges()
    levels = dependency_floors(graph)
    by_floor = defaultdict(list)
    for a, lv in levels.items():
        by_floor[lv].append(a)
    print(f"apps: {len(levels)}, app→app arrows: {len(graph)}")
    print(f"floors drawn by the imports: {len(by_floor)}")
    for lv in sorted(by_floor):
        print(f"  {lv}: {' '.join(sorted(by_floor[lv]))}")
    cycles = sorted({tuple(sorted((s, d))) for s, d in graph if (d, s) in graph})
    print(f"cycles between two apps: {len(cycles)} {cycles}")
    bad = back_arrows(graph)
    print(
        f"arrows running back up (core → accounts → orgs → features → site/demo; testing only from demo): {len(bad)}"
    )
    for s, d in bad:
        print(f"  {s} → {d}: {', '.join(graph[(s, d)][:4])}{' …' if len(graph[(s, d)]) > 4 else ''}")
    feature_pairs = sorted(
        (s, d)
        for s, d in graph
        if floor(s) == FEATURE and floor(d) == FEATURE and s not in SIDE and d not in SIDE
    )
    print(f"feature → feature arrows: {len(feature_pairs)}")
    for s, d in feature_pairs:
        mods = {m.split(":")[0] for m in graph[(s, d)]}
        print(f"  {s} → {d}: {', '.join(sorted(mods))}")
    if "--edges" in sys.argv:
        for (s, d), where in sorted(graph.items()):
            print(f"{s} → {d}: {', '.join(where)}")


if __name__ == "__main__":
    main()
