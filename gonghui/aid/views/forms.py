"""Form parsing shared by the worker and workbench pages (thin: strings in, service inputs out)."""

from __future__ import annotations

from ..models import AidDocument
from ..services.applications import ApplicationData
from ..services.hardship import HardshipData, HouseholdFigures

APPLICATION_FIELDS = [f for f in ApplicationData.__dataclass_fields__]
FIGURE_FIELDS = [
    "region_code",
    "household_size",
    "annual_income",
    "expense_medical",
    "expense_education",
    "expense_housing",
    "accident_costs",
    "employed_months",
    "dibao_monthly",
]


def application_data(post) -> ApplicationData:
    return ApplicationData(**{f: post.get(f, "") for f in APPLICATION_FIELDS})


def files_by_kind(files) -> dict[str, list]:
    """Inputs are named doc_<kind> (doc_admission, doc_id_card …); empty ones are left out."""
    found = {}
    for kind in AidDocument.Kind.values:
        chosen = files.getlist(f"doc_{kind}")
        if chosen:
            found[kind] = chosen
    return found


def _flags(post) -> dict:
    return {k: post.get(k) in ("on", "true", "1") for k in ("migrant", "urban_long_term")}


def figures(post) -> HouseholdFigures:
    return HouseholdFigures(**{f: post.get(f, "") for f in FIGURE_FIELDS}, **_flags(post))


def hardship_data(post) -> HardshipData:
    members = []
    for line in (post.get("household", "") or "").splitlines():
        parts = line.replace("，", " ").replace(",", " ").split()
        if parts:
            members.append(
                {
                    "name": parts[0],
                    "relation": parts[1] if len(parts) > 1 else "",
                    "health": " ".join(parts[2:]),
                }
            )
    return HardshipData(
        **{f: post.get(f, "") for f in FIGURE_FIELDS},
        **_flags(post),
        head_name=post.get("head_name", ""),
        head_id_number=post.get("head_id_number", ""),
        head_phone=post.get("head_phone", ""),
        unit_name=post.get("unit_name", ""),
        accident_note=post.get("accident_note", ""),
        household=members,
    )


def counties():
    """Counties with a 低保 standard on record, for the self-test's select."""
    from ..selectors import dibao_list

    seen, rows = set(), []
    for s in dibao_list():
        if s.region_code not in seen:
            seen.add(s.region_code)
            rows.append((s.region_code, s.region_name))
    return rows
