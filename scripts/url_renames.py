"""Issue 12: the wave-1 apps took the wave-2 layout (views/worker.py + views/bench.py, urls/worker.py +
urls/bench.py), so their URL names moved to the namespaces `<app>` (worker face) and `<app>_bench`
(workbench). This rewrites every quoted old name ("members:list", '{% url "cases:bench_inbox" %}' …) in
.py/.html/.md files under the given paths to the new one. A branch started before the change runs it once, after merging main, on the files only it changed:

    .venv/bin/python scripts/url_renames.py $(git diff --name-only 076b864 wt-BRANCH)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def _same(old_ns: str, new_ns: str, names: str) -> dict[str, str]:
    return {f"{old_ns}:{n}": f"{new_ns}:{n}" for n in names.split()}


def _dropped_prefix(app: str, names: str) -> dict[str, str]:
    """cases:bench_inbox → cases_bench:inbox"""
    return {f"{app}:bench_{n}": f"{app}_bench:{n}" for n in names.split()}


RENAMES: dict[str, str] = {
    # members: the workbench was `members`, the worker face `membership`
    **_same(
        "members",
        "members_bench",
        "list export detail action reveal enrollments enrollment_batch enrollment reassign_targets transfers dues "
        "lapse import import_template import_errors",
    ),
    **_same(
        "membership",
        "members",
        "join join_regions join_employers enrollment realname card my_data my_data_download verify",
    ),
    **_dropped_prefix("cases", "inbox new stats stats_json detail attachment"),
    **_same("campaign_bench", "campaigns_bench", "list new redeem detail edit export"),
    **_dropped_prefix(
        "stations",
        "list new coverage import export feedback_resolve detail edit closure_add closure_remove poster poster_svg",
    ),
    **_same("orgs", "orgs_bench", "tree detail children create edit staff_add staff_revoke"),
    **_same(
        "service_orders",
        "service_orders_bench",
        "home menu item_new item item_edit orders queue order order_action experts expert team_calendar calendar stats",
    ),
    **_same("accounts", "accounts_bench", "staff_login password_change totp_setup"),
    # the shell: the workbench pages got their own namespace; `core:` was the pre-site alias
    **{f"{ns}:workbench": "site_bench:home" for ns in ("site", "core")},
    **{f"{ns}:workbench_inbox": "site_bench:inbox" for ns in ("site", "core")},
    **{f"{ns}:audit": "site_bench:audit" for ns in ("site", "core")},
    **{f"{ns}:calendar": "site_bench:calendar" for ns in ("site", "core")},
    **_same("core", "site", "home services me inbox"),
}

_QUOTED = re.compile(r"""(["'])([a-z_]+:[a-z_]+)\1""")


def rewrite(text: str) -> str:
    return _QUOTED.sub(lambda m: m.group(1) + RENAMES.get(m.group(2), m.group(2)) + m.group(1), text)


def main(paths: list[str]) -> int:
    changed = 0
    for root in paths or ["gonghui", "config", "templates", "docs"]:
        # A file is taken as is: after merging main, pass only the files your branch changed — the names
        # are not idempotent (old `members:enrollment` is today's `members_bench:enrollment`).
        for path in [Path(root)] if Path(root).is_file() else Path(root).rglob("*"):
            if path.suffix not in {".py", ".html", ".md"} or path.name == "url_renames.py":
                continue
            text = path.read_text(encoding="utf-8")
            new = rewrite(text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed += 1
                print(path)
    print(f"{changed} files rewritten", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
