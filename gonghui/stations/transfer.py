"""xlsx import (row-level errors, nothing saved unless every row is valid) and export in the columns
the map platforms ask for."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gonghui.core.audit import audit_record
from gonghui.core.errors import DomainError
from gonghui.core.forms import FormErrors, form_failed
from gonghui.core.xlsx import XlsxWriter, export_audit, read_first_sheet, xlsx_response
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import scope_paths, scoped_orgs

from . import selectors, services
from .hours import format_hours
from .models import Station

# Column headings of the template (and the accepted aliases from other systems' exports).
COLUMNS = [
    ("name", "站点名称", ("名称", "驿站名称")),
    ("code", "站点编码", ("编码", "编号")),
    ("kind", "类型", ()),
    ("district", "所在区县", ("区县",)),
    ("address", "地址", ("详细地址",)),
    ("lat", "纬度", ("纬度(GCJ-02)", "lat")),
    ("lng", "经度", ("经度(GCJ-02)", "lng")),
    ("service_phone", "服务电话", ("电话", "联系电话")),
    ("keeper_name", "站长", ()),
    ("keeper_phone", "站长手机", ()),
    ("hours_text", "营业时间", ("开放时间",)),
    ("amenities", "服务设施", ("设施",)),
    ("org", "主管工会", ()),
]
FIELD_LABELS = {key: label for key, label, _ in COLUMNS} | {"hours_text": "营业时间", "coord": "坐标系"}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


def read_rows(content: bytes) -> list[dict]:
    sheet = read_first_sheet(content, max_rows=MAX_ROWS)
    if not sheet:
        raise DomainError("表格是空的", code="empty", field="file")
    headers = [str(h).strip() for h in sheet[0]]
    lookup = {}
    for key, label, aliases in COLUMNS:
        for name in (label, *aliases):
            if name in headers:
                lookup[key] = headers.index(name)
                break
    missing = [
        label for key, label, _ in COLUMNS if key in ("name", "address", "lat", "lng") and key not in lookup
    ]
    if missing:
        raise DomainError(
            f"表头缺少：{'、'.join(missing)}（请使用模板的表头）", code="bad_header", field="file"
        )
    rows = []
    for line in sheet[1:]:
        if not any(str(c).strip() for c in line):
            continue
        rows.append({k: _cell(line[i]) if i < len(line) else "" for k, i in lookup.items()})
    if len(rows) > MAX_ROWS:
        raise DomainError(f"一次最多导入 {MAX_ROWS} 行", code="too_many_rows", field="file")
    return rows


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) > 1000:
        return str(int(value))  # phone numbers read as numbers
    return str(value).strip()


def stations_import(*, actor, content: bytes, default_org) -> tuple[int, list[dict]]:
    """All or nothing: every row is validated first; any error → nothing saved, every error listed."""
    rows = read_rows(content)
    orgs = {o.name: o for o in scoped_orgs(actor, services.EDIT_ROLES)}
    errors, cleaned = [], []
    seen_codes: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        try:
            org = default_org
            if row.get("org"):
                org = orgs.get(row["org"])
                if org is None:
                    raise DomainError(
                        f"主管工会“{row['org']}”不在您的管辖范围内", field="org", code="org_out_of_scope"
                    )
            data = services.clean_station(row)
            if data["code"]:
                if data["code"] in seen_codes:
                    raise DomainError(
                        f"站点编码与第 {seen_codes[data['code']]} 行重复", field="code", code="duplicate"
                    )
                seen_codes[data["code"]] = n
                if Station.objects.filter(code=data["code"]).exists():
                    raise DomainError(f"站点编码 {data['code']} 已存在", field="code", code="duplicate")
            cleaned.append((org, row))
        except DomainError as exc:
            errors.extend(
                {"row": n, "field": FIELD_LABELS.get(e.field, e.field or ""), "message": e.message}
                for e in getattr(exc, "errors", None) or [exc]
            )
    if errors:
        return 0, errors
    with transaction.atomic():
        for org, row in cleaned:
            services.station_create(actor=actor, org=org, data=row)
        audit_record(actor=actor, action="station.import", org=default_org, detail={"rows": len(cleaned)})
    return len(cleaned), []


@workbench_view
@require_http_methods(["GET", "POST"])
def bench_import(request):
    orgs = scoped_orgs(request.user, services.EDIT_ROLES).order_by("path")[:500]
    ctx = {"nav": "stations", "orgs": orgs, "errors": [], "created": None, "error": None}
    if request.GET.get("template"):
        return xlsx_response(template_xlsx(), "驿站导入模板.xlsx")
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            org = services.org_for_write(actor=request.user, org_id=request.POST.get("org"))
            if upload is None:
                raise DomainError("请选择要导入的 xlsx 文件", field="file", code="file_required")
            if upload.size > MAX_BYTES:
                raise DomainError("文件不能超过 5MB", field="file", code="file_too_large")
            created, errors = stations_import(actor=request.user, content=upload.read(), default_org=org)
        except DomainError as exc:
            ctx["form_errors"] = FormErrors.from_exc(exc)
            return form_failed(request, "stations/import.html", ctx, ctx["form_errors"])
        ctx.update(created=created, errors=errors)
        if errors:
            return form_failed(request, "stations/import.html", ctx, FormErrors())
        messages.success(request, f"已导入 {created} 个站点")
        return render(request, "stations/import.html", ctx)
    return render(request, "stations/import.html", ctx)


def template_xlsx() -> bytes:
    book = XlsxWriter()
    book.sheet("驿站", header=[label for _, label, _ in COLUMNS]).append(
        [
            "亭湖区先锋街道工会驿站",
            "",
            "工会驿站",
            "亭湖区",
            "江苏省盐城市亭湖区解放南路 168 号",
            33.3795,
            120.1630,
            "0515-88200000",
            "",
            "",
            "周一至周日 08:00-20:00",
            "歇脚、饮水、热饭、充电/换电",
            "",
        ]
    )
    return book.to_bytes()


EXPORT_COLUMNS = [
    "名称",
    "地址",
    "纬度(GCJ-02)",
    "经度(GCJ-02)",
    "纬度(WGS-84)",
    "经度(WGS-84)",
    "电话",
    "营业时间",
    "24小时",
    "类型",
    "服务设施",
    "所在区县",
    "站点编码",
    "状态",
    "更新时间",
]


@workbench_view
def bench_export(request):
    """Map platforms (高德/百度/腾讯 POI submission) ask for name, address, coordinates, phone and hours.
    No personal data: keepers' names and mobiles are not exported."""
    qs = selectors.station_list(
        actor=request.user,
        q=request.GET.get("q", ""),
        status=request.GET.get("status", ""),
        district=request.GET.get("district", ""),
    )
    book = XlsxWriter()
    ws = book.sheet("驿站", header=EXPORT_COLUMNS)
    count = 0
    for s in qs.iterator(chunk_size=1000):
        ws.append(
            [
                s.name,
                s.address,
                round(s.gcj_lat, 6),
                round(s.gcj_lng, 6),
                round(s.wgs_lat, 6),
                round(s.wgs_lng, 6),
                s.service_phone,
                format_hours(s.hours, s.is_24h),
                "是" if s.is_24h else "否",
                s.get_kind_display(),
                "、".join(s.amenity_labels),
                s.district,
                s.code,
                s.get_status_display(),
                timezone.localtime(s.updated_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
        count += 1
    export_audit(
        actor=request.user,
        action="station.export",
        orgs=scoped_orgs(request.user).filter(path__in=scope_paths(request.user)),
        detail={"rows": count},
    )
    return xlsx_response(book.to_bytes(), f"驿站-{timezone.localdate():%Y%m%d}.xlsx")
