"""Studios (劳模创新工作室, 技能大师工作室): register, members, projects with verified benefit, funding booked
in the funds app (linked by application number, read through the money port), and the yearly review."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.core.money import parse_amount
from gonghui.members.models import Member
from gonghui.orgs.models import Org
from gonghui.orgs.scope import require_scope

from .. import ports
from ..models import Level, Studio, StudioFunding, StudioProject, StudioReview
from .selections import _choice, _member_in_scope, _text


def _year(value, field: str = "year") -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not 1950 <= year <= timezone.localdate().year + 1:
        raise DomainError("年度应为 1950 年至明年的四位年份", code="year_invalid", field=field)
    return year


def _benefit(benefit, basis) -> tuple:
    """A benefit in 元 (≥ 0) and how it was verified: a benefit without a basis is refused."""
    benefit = parse_amount(benefit or "0", "benefit")
    basis = _text(basis, "benefit_basis", "效益核算依据", 200, required=False)
    if benefit and not basis:
        raise DomainError(
            "填写了效益金额，请说明如何核算（例如：财务部门核定节约电费）",
            code="basis_required",
            field="benefit_basis",
        )
    return benefit, basis


def studio_register(
    *, actor, org: Org, name: str, kind: str, level: str, named_year, leader_id, member_ids=()
) -> Studio:
    require_scope(actor, org)
    name = _text(name, "name", "工作室名称", 80)
    kind = _choice(kind, Studio.Kind, "kind", "工作室类型")
    level = _choice(level, Level, "level", "级别")
    year = _year(named_year, "named_year")
    leader = _member_in_scope(actor, leader_id, "leader_id")
    ids = {int(x) for x in member_ids or [] if str(x).isdigit()} - {leader.pk}
    members = list(Member.objects.filter(pk__in=ids))
    if len(members) != len(ids):
        raise DomainError("成员中有找不到的会员，请重新选择", code="member_unknown", field="member_ids")
    for m in members:
        require_scope(actor, m.org)
    try:
        with transaction.atomic():
            studio = Studio.objects.create(
                org=org, org_path=org.path, name=name, kind=kind, level=level, named_year=year, leader=leader
            )
            studio.members.set(members)
            audit_record(actor=actor, action="honours.studio_register", obj=studio, org=org)
    except IntegrityError:
        raise Conflict("本工会已登记同名工作室", code="studio_exists", field="name") from None
    return studio


def studio_project_add(
    *,
    actor,
    studio: Studio,
    title: str,
    goal: str,
    year,
    status: str = "planned",
    benefit="0",
    benefit_basis="",
) -> StudioProject:
    require_scope(actor, studio.org)
    benefit, basis = _benefit(benefit, benefit_basis)
    with transaction.atomic():
        project = StudioProject.objects.create(
            studio=studio,
            title=_text(title, "title", "项目名称", 80),
            goal=_text(goal, "goal", "项目目标", 1000),
            year=_year(year),
            status=_choice(status, StudioProject.Status, "status", "项目状态"),
            benefit=benefit,
            benefit_basis=basis,
        )
        audit_record(actor=actor, action="honours.studio_project", obj=studio, org=studio.org)
    return project


def studio_project_update(
    *, actor, project: StudioProject, status: str, benefit="0", benefit_basis=""
) -> StudioProject:
    require_scope(actor, project.studio.org)
    benefit, basis = _benefit(benefit, benefit_basis)
    with transaction.atomic():
        project.status = _choice(status, StudioProject.Status, "status", "项目状态")
        project.benefit, project.benefit_basis = benefit, basis
        project.save(update_fields=["status", "benefit", "benefit_basis"])
        audit_record(
            actor=actor, action="honours.studio_project_update", obj=project.studio, org=project.studio.org
        )
    return project


def studio_funding_link(*, actor, studio: Studio, application_number: str) -> StudioFunding:
    """Link a funds application (e.g. 技能大师工作室补助 HA-DS) the studio's union received; amount and status
    are read from the funds app, never typed."""
    require_scope(actor, studio.org)
    money = ports.money()
    if money is None:
        raise DomainError("经费模块未启用", code="funds_unavailable", field="application_number")
    number = _text(application_number, "application_number", "补贴申请编号", 32)
    row = money.application_lookup(actor=actor, number=number)
    if row is None:
        raise NotFound("未找到该补贴申请编号", field="application_number")
    if not studio.org_path.startswith(row["org_path"]):
        raise DomainError(
            "该补贴不是工作室所在工会申领的", code="funding_other_org", field="application_number"
        )
    if row["status"] not in ("approved", "paid"):
        raise DomainError("该补贴申请尚未批准", code="funding_not_approved", field="application_number")
    try:
        with transaction.atomic():
            funding = StudioFunding.objects.create(
                studio=studio,
                application_number=number,
                label=row["label"],
                amount=row["amount"],
                year=row["year"],
            )
            audit_record(actor=actor, action="honours.studio_funding", obj=studio, org=studio.org)
    except IntegrityError:
        raise Conflict("该补贴已登记到工作室", code="funding_linked", field="application_number") from None
    return funding


def studio_review(*, actor, studio: Studio, year, result: str, comment: str) -> StudioReview:
    """The yearly review; the year's project benefit is summed from the projects, not typed."""
    require_scope(actor, studio.org)
    year = _year(year)
    result = _choice(result, StudioReview.Result, "result", "考评结果")
    comment = _text(comment, "comment", "考评意见", 2000)
    total = studio.projects.filter(year=year).aggregate(t=Sum("benefit"))["t"] or Decimal("0")
    try:
        with transaction.atomic():
            review = StudioReview.objects.create(
                studio=studio,
                year=year,
                result=result,
                comment=comment,
                benefit_total=total,
                reviewed_by=actor,
            )
            audit_record(
                actor=actor, action="honours.studio_review", obj=studio, org=studio.org, detail={"year": year}
            )
    except IntegrityError:
        raise Conflict(f"{year} 年度已考评", code="review_exists", field="year") from None
    return review
