"""The honours register of a union's subtree as xlsx (core.xlsx; audited with each org root it covered).
No ID numbers or phones: name, unit, member number only (DOMAIN.md: no bulk export of IDs)."""

from __future__ import annotations

from django.utils import timezone

from gonghui.core.xlsx import XlsxWriter, export_audit
from gonghui.orgs.models import Org
from gonghui.orgs.scope import scope_paths

HEADER = [
    "序号",
    "年度",
    "荣誉称号",
    "级别",
    "获得者",
    "类型",
    "会员编号",
    "所在单位",
    "授予单位",
    "证书编号",
    "登记工会",
]
MAX_ROWS = 20000


def register_xlsx(*, actor, honours, filters: dict) -> tuple[bytes, str]:
    book = XlsxWriter()
    sheet = book.sheet("荣誉名册", header=HEADER)
    sheet.widths([6, 8, 28, 8, 20, 6, 16, 30, 30, 18, 30])
    count = 0
    for i, h in enumerate(honours[:MAX_ROWS].iterator(chunk_size=500), start=1):
        person = h.member_id is not None
        sheet.append(
            [
                i,
                h.year,
                h.title,
                h.get_level_display(),
                h.member.name if person else h.collective.name,
                "个人" if person else "集体",
                h.member.member_no if person else "",
                (h.member.org.name if person else h.collective.name),
                h.awarding_body,
                h.certificate_no,
                h.org.name,
            ]
        )
        count = i
    roots = list(Org.objects.filter(path__in=scope_paths(actor)))
    export_audit(
        actor=actor,
        action="honours.register_export",
        orgs=roots,
        detail={"rows": count, "filters": {k: str(v)[:40] for k, v in filters.items() if k != "export"}},
    )
    return book.to_bytes(), f"荣誉名册-{timezone.localdate():%Y%m%d}.xlsx"
