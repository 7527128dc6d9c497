"""Workbench pages under /workbench/library/: the register with counts by level, a room (edit, upgrade,
events), upgrade decisions, the e-library (collections, books, loans and their counts) and reading cards."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core.errors import DomainError
from gonghui.core.forms import FormErrors, form_failed
from gonghui.core.pagination import page_of
from gonghui.orgs.decorators import workbench_view
from gonghui.orgs.scope import in_scope, scoped_orgs
from gonghui.orgs.selectors import org_get
from gonghui.stations.selectors import stations_scoped

from .. import selectors, services
from ..models import (
    EBook,
    Level,
    LevelApplication,
    LevelEvidence,
    ReadingCardIssue,
    ReadingEvent,
    ReadingRoom,
)

NAV = {"nav": "library"}
ROOM_FIELDS = (
    "name",
    "level",
    "place",
    "station_id",
    "address",
    "district",
    "lat",
    "lng",
    "hours",
    "books_count",
    "workers_reached",
    "contact_name",
    "contact_phone",
)


def _ctx(**extra) -> dict:
    return {**NAV, **extra}


def _my_orgs(user):
    return scoped_orgs(user, services.LIBRARY_ROLES).order_by("path")[:300]


@workbench_view
def register(request):
    params = request.GET
    rooms = selectors.room_list(
        actor=request.user,
        q=params.get("q", "").strip(),
        level=params.get("level", ""),
        place=params.get("place", ""),
        status=params.get("status", "active"),
    )
    page = page_of(rooms, params.get("page"), per_page=30)
    events = selectors.events_by_room(room_ids=[r.pk for r in page.object_list])
    for room in page.object_list:
        room.event_count = events.get(room.pk, 0)
    return render(
        request,
        "library/bench_register.html",
        _ctx(
            page=page,
            counts=selectors.level_counts(actor=request.user),
            to_decide=selectors.applications_to_decide(actor=request.user).count(),
            levels=Level.choices,
            places=ReadingRoom.Place.choices,
            filters=params,
        ),
    )


def _room_form_ctx(request, room=None, values=None) -> dict:
    return _ctx(
        room=room,
        values=values or {},
        orgs=_my_orgs(request.user),
        levels=Level.choices,
        places=ReadingRoom.Place.choices,
        stations=list(stations_scoped(actor=request.user).filter(status="active").order_by("code")[:500]),
    )


@workbench_view
def room_new(request):
    if request.method != "POST":
        return render(
            request, "library/bench_room_form.html", _room_form_ctx(request, values={"level": "grassroots"})
        )
    data = {k: request.POST.get(k, "") for k in ROOM_FIELDS}
    try:
        org = org_get(actor=request.user, org_id=request.POST.get("org"))
        room = services.room_create(actor=request.user, org=org, **data)
    except DomainError as exc:
        errors = FormErrors.from_exc(exc, fields=(*ROOM_FIELDS, "org"))
        return form_failed(
            request, "library/bench_room_form.html", _room_form_ctx(request, values=request.POST), errors
        )
    messages.success(request, f"已登记「{room.name}」")
    return redirect("library_bench:room", room.pk)


@workbench_view
def room_edit(request, room_id):
    room = selectors.room_get(actor=request.user, room_id=room_id)
    if request.method != "POST":
        values = {k: getattr(room, k, "") for k in ROOM_FIELDS}
        values.update(
            lat=room.gcj_lat, lng=room.gcj_lng, station_id=room.station_id or "", org=str(room.org_id)
        )
        return render(request, "library/bench_room_form.html", _room_form_ctx(request, room, values))
    data = {k: request.POST.get(k, "") for k in ROOM_FIELDS if k != "level"}
    try:
        services.room_update(actor=request.user, room=room, **data)
    except DomainError as exc:
        errors = FormErrors.from_exc(exc, fields=ROOM_FIELDS)
        return form_failed(
            request, "library/bench_room_form.html", _room_form_ctx(request, room, request.POST), errors
        )
    messages.success(request, "已保存")
    return redirect("library_bench:room", room.pk)


def _room_ctx(request, room, **extra) -> dict:
    return _ctx(
        room=room,
        may_edit=in_scope(request.user, room.org, services.LIBRARY_ROLES),
        applications=list(room.applications.select_related("approver").all()[:20]),
        next_level=services.next_level(room.level),
        counts=selectors.event_counts(actor=request.user, room=room),
        event_kinds=ReadingEvent.Kind.choices,
        values=extra.pop("values", {}),
        **extra,
    )


@workbench_view
def room_detail(request, room_id):
    room = selectors.room_get(actor=request.user, room_id=room_id)
    return render(request, "library/bench_room.html", _room_ctx(request, room))


@workbench_view
@require_POST
def room_close(request, room_id):
    room = selectors.room_get(actor=request.user, room_id=room_id)
    try:
        services.room_close(actor=request.user, room=room, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return form_failed(
            request, "library/bench_room.html", _room_ctx(request, room, values=request.POST), exc
        )
    messages.success(request, "已撤销该书屋")
    return redirect("library_bench:room", room.pk)


@workbench_view
@require_POST
def upgrade_apply(request, room_id):
    room = selectors.room_get(actor=request.user, room_id=room_id)
    try:
        application = services.upgrade_apply(
            actor=request.user,
            room=room,
            statement=request.POST.get("statement", ""),
            files=request.FILES.getlist("evidence"),
        )
    except DomainError as exc:
        return form_failed(
            request, "library/bench_room.html", _room_ctx(request, room, values=request.POST), exc
        )
    messages.success(
        request,
        f"已提交升级申请，等待{application.approver.display_name}审批（{application.get_to_level_display()}）",
    )
    return redirect("library_bench:room", room.pk)


@workbench_view
@require_POST
def event_new(request, room_id):
    room = selectors.room_get(actor=request.user, room_id=room_id)
    try:
        event = services.event_create(
            actor=request.user,
            room=room,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            starts_at=request.POST.get("starts_at", ""),
            capacity=request.POST.get("capacity", ""),
            description=request.POST.get("description", ""),
        )
    except DomainError as exc:
        return form_failed(
            request, "library/bench_room.html", _room_ctx(request, room, values=request.POST), exc
        )
    messages.success(request, f"已发布阅读活动「{event.campaign.title}」，职工可在 抢课抢券 报名")
    return redirect("library_bench:room", room.pk)


@workbench_view
def upgrades(request):
    decided = selectors.applications_scoped(actor=request.user).exclude(
        status=LevelApplication.Status.SUBMITTED
    )
    return render(
        request,
        "library/bench_upgrades.html",
        _ctx(
            pending=list(selectors.applications_to_decide(actor=request.user)[:100]),
            mine=list(
                selectors.applications_scoped(actor=request.user)
                .filter(status=LevelApplication.Status.SUBMITTED)
                .select_related("room", "approver")[:100]
            ),
            decided=list(decided.select_related("room", "approver").order_by("-decided_at")[:30]),
        ),
    )


def _upgrade_ctx(request, application, **extra) -> dict:
    return _ctx(
        application=application,
        may_decide=application.status == LevelApplication.Status.SUBMITTED
        and in_scope(request.user, application.approver, services.LIBRARY_ROLES)
        and application.submitted_by_id != request.user.pk,
        evidence=list(application.evidence.all()),
        **extra,
    )


@workbench_view
def upgrade_detail(request, application_id):
    application = selectors.application_get(actor=request.user, application_id=application_id)
    if request.method != "POST":
        return render(request, "library/bench_upgrade.html", _upgrade_ctx(request, application))
    approve = request.POST.get("decision") == "approve"
    try:
        services.upgrade_decide(
            actor=request.user,
            application=application,
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        return form_failed(
            request,
            "library/bench_upgrade.html",
            _upgrade_ctx(request, application, values=request.POST),
            exc,
        )
    messages.success(request, "已批准，书屋级别已更新" if approve else "已退回申请")
    return redirect("library_bench:upgrades")


@workbench_view
def evidence_file(request, evidence_id):
    evidence = LevelEvidence.objects.filter(pk=evidence_id).select_related("application").first()
    if evidence is None:
        raise Http404
    # Scope through the application: the applicant's unions and the approver's.
    selectors.application_get(actor=request.user, application_id=evidence.application_id)
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@workbench_view
def ebooks(request):
    if request.method == "POST":
        try:
            org = org_get(actor=request.user, org_id=request.POST.get("org"))
            collection = services.collection_create(
                actor=request.user,
                org=org,
                name=request.POST.get("name", ""),
                licensor=request.POST.get("licensor", ""),
                licence_until=request.POST.get("licence_until", ""),
                description=request.POST.get("description", ""),
            )
        except DomainError as exc:
            return form_failed(
                request, "library/bench_ebooks.html", _ebooks_ctx(request, values=request.POST), exc
            )
        messages.success(request, f"已建立电子书库「{collection.name}」")
        return redirect("library_bench:collection", collection.pk)
    return render(request, "library/bench_ebooks.html", _ebooks_ctx(request))


def _ebooks_ctx(request, **extra) -> dict:
    loans = selectors.loans_scoped(actor=request.user).select_related("collection", "borrower")
    return _ctx(
        collections=list(selectors.collections_scoped(actor=request.user).select_related("org")[:100]),
        loans=[(loan, selectors.loan_state(loan)) for loan in loans[:100]],
        by_borrower=selectors.loans_by_borrower(actor=request.user)[:50],
        orgs=_my_orgs(request.user),
        values=extra.pop("values", {}),
        **extra,
    )


def _collection_ctx(request, collection, **extra) -> dict:
    loans = collection.loans.select_related("borrower").all()
    return _ctx(
        collection=collection,
        books=list(collection.books.all()),
        loans=[(loan, selectors.loan_state(loan)) for loan in loans],
        borrowers=[
            o
            for o in scoped_orgs(request.user, services.LIBRARY_ROLES)
            .filter(path__startswith=collection.org_path, kind__in=services.BORROWER_KINDS)
            .order_by("path")[:500]
        ],
        categories=EBook.Category.choices,
        values=extra.pop("values", {}),
        **extra,
    )


@workbench_view
def collection_detail(request, collection_id):
    collection = selectors.collection_get(actor=request.user, collection_id=collection_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "loan":
                borrower = org_get(actor=request.user, org_id=request.POST.get("borrower_id"))
                loan = services.loan_create(
                    actor=request.user,
                    collection=collection,
                    borrower=borrower,
                    starts_on=request.POST.get("starts_on", ""),
                    ends_on=request.POST.get("ends_on", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, f"已借给{loan.borrower.display_name}")
            else:
                ebook = services.ebook_add(
                    actor=request.user,
                    collection=collection,
                    title=request.POST.get("title", ""),
                    author=request.POST.get("author", ""),
                    category=request.POST.get("category", ""),
                    file=request.FILES.get("file"),
                )
                messages.success(request, f"已上架《{ebook.title}》")
        except DomainError as exc:
            return form_failed(
                request,
                "library/bench_collection.html",
                _collection_ctx(request, collection, values=request.POST),
                exc,
            )
        return redirect("library_bench:collection", collection.pk)
    return render(request, "library/bench_collection.html", _collection_ctx(request, collection))


@workbench_view
def loan_detail(request, loan_id):
    loan = selectors.loan_get(actor=request.user, loan_id=loan_id)
    if request.method == "POST":
        try:
            services.loan_withdraw(actor=request.user, loan=loan, reason=request.POST.get("reason", ""))
        except DomainError as exc:
            return form_failed(
                request, "library/bench_loan.html", _loan_ctx(request, loan, values=request.POST), exc
            )
        messages.success(request, "已收回，借阅单位的会员即刻不能再打开")
        return redirect("library_bench:loan", loan.pk)
    return render(request, "library/bench_loan.html", _loan_ctx(request, loan))


def _loan_ctx(request, loan, **extra) -> dict:
    return _ctx(
        loan=loan,
        state=selectors.loan_state(loan),
        stats=selectors.loan_book_stats(loan=loan),
        may_withdraw=in_scope(request.user, loan.lender, services.LIBRARY_ROLES)
        and loan.withdrawn_at is None,
        values=extra.pop("values", {}),
        **extra,
    )


def _cards_ctx(request, **extra) -> dict:
    return _ctx(
        issues=list(selectors.card_issues_scoped(actor=request.user)[:100]),
        orgs=_my_orgs(request.user),
        rooms=list(selectors.room_list(actor=request.user)[:300]),
        kinds=ReadingCardIssue.Kind.choices,
        values=extra.pop("values", {}),
        **extra,
    )


@workbench_view
def cards(request):
    if request.method == "POST":
        post = request.POST
        try:
            org = org_get(actor=request.user, org_id=post.get("org"))
            room = selectors.room_get(actor=request.user, room_id=post["room"]) if post.get("room") else None
            issue = services.cards_issue(
                actor=request.user,
                org=org,
                room=room,
                kind=post.get("kind", ""),
                title=post.get("title", ""),
                count=post.get("count", ""),
                face_value=post.get("face_value", ""),
                valid_until=post.get("valid_until", ""),
            )
        except DomainError as exc:
            return form_failed(request, "library/bench_cards.html", _cards_ctx(request, values=post), exc)
        messages.success(request, f"已发放「{issue.campaign.title}」，会员在 抢课抢券 领取")
        return redirect("library_bench:cards")
    return render(request, "library/bench_cards.html", _cards_ctx(request))
