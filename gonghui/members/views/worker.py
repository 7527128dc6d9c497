"""会员 worker pages (phone): joining, following the application, real-name, the e-card, one's own data; the public card check."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from gonghui.accounts.realname import get_verifier
from gonghui.accounts.services import login_code_consume, user_get_or_create_by_phone
from gonghui.core.errors import DomainError, ErrorCollector, NotFound, field_value
from gonghui.core.forms import FormErrors, form_failed
from gonghui.core.geo import check_china_point, wgs84_to_gcj02
from gonghui.core.validators import normalize_mobile
from gonghui.orgs import selectors as org_selectors
from gonghui.stations.selectors import station_public

from .. import selectors, services
from ..models import OCCUPATIONS, Enrollment, Member


class CappedPaginator(Paginator):
    @cached_property
    def count(self):
        return selectors.count_capped(self.object_list)


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _qr_svg(text: str) -> str:
    import segno

    return segno.make(text, error="m").svg_inline(scale=5, border=2, dark="#1f2430")


JOIN_FIELDS = [
    "name",
    "id_number",
    "phone",
    "code",
    "employer_name",
    "occupation",
    "employment_form",
    "work_province",
    "work_city",
    "work_county",
    "residence_region",
    "routes",
    "note",
    "station",
]
# Errors on the place the worker picked are shown at the picker.
JOIN_ERROR_FIELDS = {*JOIN_FIELDS, "work_region"}


def _picker(values: dict) -> dict:
    """The 省/市/县 picker's state: what was chosen and the options of each level."""
    chosen = {
        "province": values.get("work_province", ""),
        "city": values.get("work_city", ""),
        "county": values.get("work_county", ""),
    }
    return {
        "chosen": chosen,
        **org_selectors.region_choices(province=chosen["province"], city=chosen["city"]),
    }


def _picked_region(params) -> str:
    return org_selectors.region_pick(
        province=params.get("work_province", ""),
        city=params.get("work_city", ""),
        county=params.get("work_county", ""),
    )


def join_regions(request):
    """htmx: the picker again after a level changed (or after "use my location" found a region)."""
    values = {k: request.GET.get(k, "") for k in ("work_province", "work_city", "work_county")}
    lat, lng = request.GET.get("lat"), request.GET.get("lng")
    located = ""
    if lat and lng:
        try:
            point = check_china_point(lat, lng)
        except DomainError:
            point = None
        if point is not None:
            # The browser answers in WGS-84; the unions' positions are GCJ-02.
            gcj = wgs84_to_gcj02(*point)
            located = org_selectors.region_near(lat=gcj[0], lng=gcj[1])
        if located:
            split = org_selectors.region_split(located)
            values = {
                "work_province": split["province"],
                "work_city": split["city"],
                "work_county": split["county"],
            }
    if values["work_city"][:2] != values["work_province"][:2]:
        values["work_city"] = values["work_county"] = ""
    if values["work_county"][:4] != values["work_city"][:4]:
        values["work_county"] = ""
    context = {
        "picker": _picker(values),
        "located": located,
        "locate_failed": bool(lat and lng and not located),
    }
    return render(request, "members/_region_picker.html", context)


def join_employers(request):
    """htmx: "您是不是指…" under the employer field while the worker types."""
    typed = request.GET.get("employer_name", "")[:120]
    matches = org_selectors.employer_matches(typed) if len(typed.strip()) >= 2 else []
    exact = any(m.score == 100 for m in matches)
    return render(request, "members/_employer_suggest.html", {"matches": [] if exact else matches})


@require_http_methods(["GET", "POST"])
def join(request):
    """我要入会: five required fields; the phone is verified by a code (which also signs the worker in).
    A failed post shows every mistake at once (422) and keeps what was typed."""
    user = request.user if request.user.is_authenticated else None
    member = getattr(user, "member", None) if user else None
    open_enrollment = (
        selectors.enrollments_for_worker(actor=user).filter(status__in=Enrollment.OPEN).first()
        if user
        else None
    )
    source = request.POST if request.method == "POST" else request.GET
    values = {f: source.get(f, "") for f in JOIN_FIELDS}
    station = None
    if values["station"]:
        try:
            station = station_public(code=values["station"][:32])
        except DomainError:
            values["station"] = ""
    context = {
        "occupations": OCCUPATIONS,
        "forms": Member.EmploymentForm.choices,
        "values": values,
        "picker": _picker(values),
        "station": station,
        "member": member if member and member.status in Member.HOLDING else None,
        "open_enrollment": open_enrollment,
        "tab": "home",
    }
    if request.method == "POST" and request.POST.get("action") == "region":
        # Without JavaScript: "选择下一级" re-renders the form with the picker one level further.
        return render(request, "members/join.html", context)
    if request.method == "POST":
        errors = ErrorCollector()
        actor = user
        if actor is not None and values["phone"] and normalize_mobile(values["phone"]) == actor.phone:
            values["phone"] = ""
        work_region = org_selectors.region_pick(
            province=values["work_province"], city=values["work_city"], county=values["work_county"]
        )
        payload = {
            k: v
            for k, v in values.items()
            if k not in {"phone", "code", "station", "work_province", "work_city", "work_county"}
        }
        payload.update(work_region=work_region, station_code=station.code if station else "")
        if actor is not None and values["phone"]:
            payload.update(phone=values["phone"], code=values["code"])
        try:
            if actor is None:
                # Anonymous: the code proves the phone and the account is created or found by it — but
                # only once every other field is right, so one post shows every mistake.
                with errors.check():
                    if not values["phone"]:
                        raise DomainError("请填写手机号", code="phone_required", field="phone")
                    phone = field_value(values["phone"], "phone", normalize_mobile)
                with errors.check():
                    if not values["code"].strip():
                        raise DomainError("请填写短信验证码", code="code_required", field="code")
                with errors.check():
                    services.enrollment_check(**payload)
                if not errors.errors and not login_code_consume(phone=phone, code=values["code"]):
                    raise DomainError(
                        "手机验证码不正确或已过期，请重新获取", code="code_invalid", field="code"
                    )
                errors.raise_if_any()
                actor = user_get_or_create_by_phone(phone=phone)
                login(request, actor, backend="gonghui.accounts.backends.PhoneCodeBackend")
                values["phone"] = ""
            enrollment = services.enrollment_submit(actor=actor, **payload)
        except DomainError as exc:
            errors = FormErrors.from_exc(exc, fields=JOIN_ERROR_FIELDS)
            if any(f == "employer_name" for f, _ in errors):
                context["employer_matches"] = org_selectors.employer_matches(values["employer_name"])
            return form_failed(request, "members/join.html", context, errors)
        messages.success(request, f"入会申请已提交，已送达{enrollment.org.name}")
        return redirect("members:enrollment", enrollment.pk)
    return render(request, "members/join.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_status(request, enrollment_id):
    enrollment = selectors.enrollment_get(actor=request.user, enrollment_id=enrollment_id)
    if enrollment.user_id != request.user.pk:
        raise NotFound()
    picked = (
        request.POST
        if request.method == "POST"
        else {f"work_{k}": v for k, v in org_selectors.region_split(enrollment.work_region).items()}
    )
    context = {"e": enrollment, "steps": enrollment.steps.all(), "tab": "me", "picker": _picker(picked)}
    if request.method == "POST":
        try:
            services.enrollment_supplement(
                actor=request.user,
                enrollment=enrollment,
                note=request.POST.get("note", ""),
                employer_name=request.POST.get("employer_name", ""),
                work_region=_picked_region(request.POST),
            )
        except DomainError as exc:
            context["values"] = request.POST
            return form_failed(request, "members/enrollment_status.html", context, exc)
        else:
            messages.success(request, "已补充，工会将继续审批")
            return redirect("members:enrollment", enrollment.pk)
    return render(request, "members/enrollment_status.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def realname(request):
    """我的 → 实名认证: the state (how, by whom, when) and the ways to get certified."""
    user = request.user
    member = getattr(user, "member", None)
    context = {
        "member": member if member and member.status in Member.HOLDING else None,
        "online": get_verifier() is not None,
        "values": {"name": request.POST.get("name", ""), "id_number": request.POST.get("id_number", "")},
        "by_label": user.real_name_by.name if user.real_name_by_id and user.real_name_by.name else "",
        "open_enrollment": selectors.enrollments_for_worker(actor=user)
        .filter(status__in=Enrollment.OPEN)
        .first(),
        "tab": "me",
    }
    if request.method == "POST":
        try:
            services.real_name_verify_self(
                actor=user, name=context["values"]["name"], id_number=context["values"]["id_number"]
            )
        except DomainError as exc:
            return form_failed(request, "members/realname.html", context, exc)
        messages.success(request, "实名认证已完成，可以参加仅限实名会员的活动了")
        return redirect(
            request.GET.get("next")
            if url_has_allowed_host_and_scheme(request.GET.get("next"), None)
            else "members:realname"
        )
    return render(request, "members/realname.html", context)


@login_required
def my_card(request):
    member = getattr(request.user, "member", None)
    card = selectors.card_current(member=member) if member else None
    if member is not None and card is None and member.status in Member.HOLDING:
        # Members registered offline or imported get their e-card the first time they ask for it.
        card = services.card_issue(actor=request.user, member=member)
    context = {"member": member, "card": card, "tab": "me"}
    if card:
        signed = services.card_signed_token(card)
        url = request.build_absolute_uri(reverse("members:verify", args=[signed]))
        context.update(qr=_qr_svg(url), verify_url=url)
    else:
        context["open_enrollment"] = selectors.enrollments_for_worker(actor=request.user).first()
    return render(request, "members/card.html", context)


def card_verify_page(request, signed):
    return render(request, "members/verify.html", {"result": selectors.card_verify(signed), "tab": "home"})


TRANSFER_FIELDS = {
    "employer_name": "new_employer_name",
    "occupation": "new_occupation",
    "work_region": "new_work_region",  # the picker of the transfer form
    "reason": "transfer_reason",
}


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    member = getattr(request.user, "member", None)
    context = {
        "member": member,
        "occupations": OCCUPATIONS,
        "forms": Member.EmploymentForm.choices,
        "tab": "me",
        "enrollments": selectors.enrollments_for_worker(actor=request.user),
        "transfers": member.transfers.select_related("from_org", "to_org")[:3] if member else [],
        "values": request.POST,
        "picker": _picker(request.POST),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "correct":
                services.member_self_correct(
                    actor=request.user,
                    employer_name=request.POST.get("employer_name", ""),
                    occupation=request.POST.get("occupation", ""),
                    employment_form=request.POST.get("employment_form", ""),
                )
                messages.success(request, "已更正")
            elif action == "leave":
                services.member_leave(actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, "已办理退会，电子会员卡已失效")
            elif action == "transfer":
                transfer, route = services.transfer_request_self(
                    actor=request.user,
                    employer_name=request.POST.get("new_employer_name", ""),
                    occupation=request.POST.get("new_occupation", ""),
                    work_region=_picked_region(request.POST),
                    reason=request.POST.get("transfer_reason", ""),
                )
                messages.success(
                    request,
                    f"已申请转至{transfer.to_org.name}（{route.reason}），等待{transfer.from_org.name}确认",
                )
            return redirect("members:my_data")
        except DomainError as exc:
            errors = FormErrors()
            for error in getattr(exc, "errors", None) or [exc]:
                field = error.field
                if action == "transfer":
                    # The transfer form's fields carry their own names: an error must not mark the 更正 form.
                    field = TRANSFER_FIELDS.get(field)
                errors.add(error.message, field)
            context["action"] = action
            return form_failed(request, "members/my_data.html", context, errors)
    return render(request, "members/my_data.html", context)


@login_required
def my_data_download(request):
    data = services.member_data_export(actor=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = "attachment; filename=my-union-data.json"
    return response
