"""Studios (projects with verified benefit, funding read from the funds ledger, yearly review), contests
(teams from the registry, scores, ranks shared on equal totals, who advances), training records that the funds
app's 淮安 training subsidy reads, prize money booked on the funds ledger on award, and services aimed at honour
holders (campaign eligibility, donated mutual-aid cover)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.funds import selectors as funds_selectors
from gonghui.funds import services as funds
from gonghui.funds.models import FundApplication, LedgerEntry
from gonghui.honours import services
from gonghui.honours.models import Entrant, Honour, StudioReview
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_member, make_staff, make_user

from .conftest import at, prize_scheme


def _studio(world):
    return services.studio_register(
        actor=world.admin,
        org=world.tree.county,
        name="王建军劳模创新工作室",
        kind="model_worker",
        level="county",
        named_year=2026,
        leader_id=world.member.pk,
        member_ids=[world.other.pk],
    )


def test_studio_projects_need_a_basis_for_benefit_and_the_review_sums_them(world):
    with at(2027, 6, 1):
        studio = _studio(world)
        with pytest.raises(DomainError) as err:
            services.studio_project_add(
                actor=world.admin,
                studio=studio,
                title="重载车辆节油",
                goal="百公里油耗降 2 升",
                year=2027,
                benefit="120000",
            )
        assert err.value.field == "benefit_basis"
        with pytest.raises(DomainError) as err:
            services.studio_project_add(
                actor=world.admin,
                studio=studio,
                title="节油",
                goal="降油耗",
                year=2027,
                benefit="-5",
                benefit_basis="财务核定",
            )
        assert err.value.field == "benefit"
        services.studio_project_add(
            actor=world.admin,
            studio=studio,
            title="重载车辆节油",
            goal="百公里油耗降 2 升",
            year=2027,
            status="done",
            benefit="120000",
            benefit_basis="财务部门按全年油费核定",
        )
        services.studio_project_add(
            actor=world.admin,
            studio=studio,
            title="配电柜防潮",
            goal="雨季不跳闸",
            year=2027,
            benefit="30000.50",
            benefit_basis="设备部门核定停机损失",
        )
        review = services.studio_review(
            actor=world.admin, studio=studio, year=2027, result="excellent", comment="成效显著"
        )
        assert review.benefit_total == Decimal("150000.50")
        with pytest.raises(Conflict):
            services.studio_review(actor=world.admin, studio=studio, year=2027, result="pass", comment="再评")
        with pytest.raises(NotFound):
            services.studio_review(
                actor=world.p.sibling_staffer, studio=studio, year=2026, result="pass", comment="x"
            )
    assert StudioReview.objects.count() == 1


def test_studio_funding_is_read_from_the_funds_app_not_typed(world):
    with at(2027, 2, 1):
        studio = _studio(world)
        scheme = funds.scheme_create(
            actor=world.admin,
            org=world.tree.county,
            code="LL-LM",
            name="劳模创新工作室补助",
            category="award",
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 12, 31),
            formula={"type": "fixed", "amount": "20000"},
            once_per="year",
        )
        funds.budget_set(actor=world.admin, scheme=scheme, year=2027, amount="100000")
        app = funds.application_submit(actor=world.admin, scheme=scheme, org=world.tree.county)
        with pytest.raises(DomainError) as err:
            services.studio_funding_link(actor=world.admin, studio=studio, application_number=app.number)
        assert err.value.code == "funding_not_approved"
        funds.application_approve(
            actor=world.admin, application_id=app.pk, amount="20000", reason="命名市级工作室"
        )
        funding = services.studio_funding_link(
            actor=world.admin, studio=studio, application_number=app.number
        )
        assert (funding.amount, funding.label, funding.year) == (
            Decimal("20000.00"),
            "劳模创新工作室补助",
            2027,
        )
        with pytest.raises(Conflict):
            services.studio_funding_link(actor=world.admin, studio=studio, application_number=app.number)
        with pytest.raises(NotFound):
            services.studio_funding_link(actor=world.admin, studio=studio, application_number="BZ-NOPE")


def test_contest_ranks_share_on_equal_totals_and_the_top_advance(world):
    tree = world.tree
    with at(2027, 5, 1):
        contest = services.contest_open(
            actor=world.admin,
            org=tree.county,
            title="柳林县驾驶教练员技能竞赛",
            level="county",
            held_on=dt.date(2027, 5, 1),
            events=["理论知识", ("实际操作", 100)],
            advance_count=2,
            team_size=2,
        )
        a, b, c, d = (make_member(tree.grassroots, name=n) for n in ["甲", "乙", "丙", "丁"])
        with pytest.raises(DomainError) as err:
            services.team_add(
                actor=world.admin, contest=contest, name="预石一队", org=tree.grassroots, member_ids=[a.pk]
            )
        assert err.value.code == "team_size"
        services.team_add(
            actor=world.admin, contest=contest, name="预石一队", org=tree.grassroots, member_ids=[a.pk, b.pk]
        )
        services.team_add(
            actor=world.admin, contest=contest, name="预石二队", org=tree.grassroots, member_ids=[c.pk, d.pk]
        )
        with pytest.raises(Conflict):
            services.team_add(
                actor=world.admin,
                contest=contest,
                name="预石三队",
                org=tree.grassroots,
                member_ids=[a.pk, c.pk],
            )
        events = list(contest.events.all())
        entrants = {e.member.name: e for e in contest.entrants.select_related("member", "contest")}
        with pytest.raises(DomainError):
            services.contest_results(actor=world.admin, contest=contest)  # scores missing
        for bad in ["101", "-1", "八十", "80.25", "nan"]:
            with pytest.raises(DomainError) as err:
                services.score_record(actor=world.admin, entrant=entrants["甲"], event=events[0], score=bad)
            assert err.value.field == "score"
        marks = {"甲": (90, 95), "乙": (88, 97), "丙": (80, 90), "丁": (99, 70.5)}
        for name, (theory, practice) in marks.items():
            services.score_record(actor=world.admin, entrant=entrants[name], event=events[0], score=theory)
            services.score_record(actor=world.admin, entrant=entrants[name], event=events[1], score=practice)
        with pytest.raises(NotFound):
            services.contest_results(actor=world.p.sibling_staffer, contest=contest)
        ranked = services.contest_results(actor=world.admin, contest=contest)
    got = [(e.member.name, e.rank, e.advances) for e in ranked]
    # 甲 185, 乙 185 share rank 1; 丁 169.5 is 3rd; 丙 170 is 3rd → 丙 170 > 丁 169.5
    assert got == [("甲", 1, True), ("乙", 1, True), ("丙", 3, False), ("丁", 4, False)]
    assert Entrant.objects.get(member__name="丁").total == Decimal("169.5")
    with pytest.raises(Conflict):
        services.score_record(actor=world.admin, entrant=entrants["丙"], event=events[0], score=100)


def test_training_record_sets_the_level_of_the_huaian_training_subsidy(world):
    with at(2027, 3, 1):
        scheme = funds.scheme_create(
            actor=world.admin,
            org=world.tree.county,
            code="LL-PX",
            name="紧缺工种技能培训补贴",
            category="training",
            applicant="person",
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 12, 31),
            formula={
                "type": "banded",
                "bands": [
                    {"key": "senior", "label": "高级工", "min": "1600", "max": "2000"},
                    {"key": "technician", "label": "技师", "min": "3000", "max": "4000"},
                ],
            },
            once_per="year",
        )
        # no record: what the worker picks is used (and said to be typed)
        quote, sources = funds_selectors.quote_for(
            version=scheme.current,
            inputs={"level": "technician"},
            org=None,
            on=timezone.localdate(),
            member=world.member,
        )
        assert sources["level"] == "申请人填写" and quote.maximum == Decimal("4000.00")
        with pytest.raises(DomainError) as err:
            services.training_record(
                actor=world.admin,
                member_id=world.member.pk,
                course="汽车电工",
                trade="汽车维修工",
                level="grandmaster",
                certificate_no="S-1",
                issued_on=dt.date(2027, 2, 1),
            )
        assert err.value.field == "level"
        services.training_record(
            actor=world.admin,
            member_id=world.member.pk,
            course="汽车电工高级班",
            trade="汽车维修工",
            level="senior",
            certificate_no="S202702001",
            issued_on=dt.date(2027, 2, 1),
            hours=120,
        )
        with pytest.raises(NotFound):
            services.training_record(
                actor=world.p.sibling_staffer,
                member_id=world.member.pk,
                course="x",
                trade="x",
                level="senior",
                certificate_no="S-2",
                issued_on=dt.date(2027, 2, 1),
            )
        app = funds.application_submit(
            actor=world.worker,
            scheme=scheme,
            inputs={"level": "technician"},
        )
    # the record says 高级工: the typed 技师 is replaced, and the working says where the level came from
    assert app.inputs["level"] == "senior" and app.input_sources["level"] == "培训取证记录"
    assert (app.minimum, app.maximum) == (Decimal("1600.00"), Decimal("2000.00"))
    assert any("S202702001" in line for line in app.working)


def _award(world, *, budget="100000"):
    with at(2027, 3, 10):
        sel = world.selection()
        n = services.nominate(
            actor=world.worker, selection=sel, member_id=world.member.pk, evidence="十年零事故"
        )
        services.score_submit(actor=world.expert, nomination=n, score=92)
        services.selection_publish(actor=world.admin, selection=sel, workdays=5)
    return sel


def test_award_books_the_prize_on_the_funds_ledger(world):
    sel = _award(world)
    with at(2027, 4, 14):
        services.selection_award(actor=world.admin, selection=sel)
    app = FundApplication.objects.get(applicant_user=world.worker)
    assert (app.status, app.approved_amount, app.scheme_id) == (
        "approved",
        Decimal("2000.00"),
        world.prize_scheme.pk,
    )
    entry = LedgerEntry.objects.get(application=app)
    assert (entry.kind, entry.amount, entry.category) == ("commit", Decimal("2000.00"), "award")
    assert sel.nominations.get().prize_ref == app.number
    assert app.budget.committed == Decimal("2000.00")


def test_award_is_refused_whole_when_the_prize_budget_is_spent(world):
    sel = _award(world)
    budget = world.prize_scheme.budgets.get()
    budget.amount = Decimal("1000")
    budget.save()
    with at(2027, 4, 14), pytest.raises(Conflict) as err:
        services.selection_award(actor=world.admin, selection=sel)
    assert err.value.code == "budget_exhausted"
    sel.refresh_from_db()
    assert sel.status == "notice" and not Honour.objects.exists() and not FundApplication.objects.exists()


def test_selection_prize_scheme_must_be_an_award_scheme_of_the_union(world):
    other = prize_scheme(
        world.p.sibling_staffer if False else make_staff(world.tree.sibling_city, Staff.Role.ADMIN),
        world.tree.sibling_city,
    )
    with at(2027, 3, 1), pytest.raises(DomainError) as err:
        world.selection(prize_scheme_id=other.pk)
    assert err.value.code == "prize_scheme_invalid"
    with at(2027, 3, 1), pytest.raises(DomainError) as err:
        world.selection(prize_scheme_id=None)
    assert err.value.code == "prize_scheme_required"


def test_campaign_aimed_at_honour_holders_refuses_everyone_else(world):
    from django.core.cache import cache

    from gonghui.campaigns import services as campaigns

    cache.clear()
    with at(2027, 6, 1):
        services.honour_record(
            actor=world.admin,
            org=world.tree.county,
            data=services.HonourInput(
                title="柳林县劳动模范",
                level="county",
                year=2026,
                awarding_body="柳林县总工会",
                member_id=world.member.pk,
            ),
        )
        now = timezone.now()
        camp = campaigns.campaign_create(
            actor=world.admin,
            org=world.tree.county,
            title="劳模子女暑期夏令营",
            kind="course",
            opens_at=now - dt.timedelta(minutes=1),
            closes_at=now + dt.timedelta(days=5),
            real_name_required=False,
            offers=[{"name": "七月营期", "capacity": 20}],
        )
        assert campaigns.ineligibility(camp, world.other, world.other.user) is None  # before: open to all
        offer = camp.offers.get()
        # The holder's grab before the targeting puts the campaign in the rush's cache.
        won = campaigns.offer_grab(actor=world.worker, campaign_id=camp.pk, offer_id=offer.pk)
        assert won.result == "won"
        row = services.honour_campaign_target(actor=world.admin, org=world.tree.county, campaign_id=camp.pk)
        assert row.reached == 1
        with pytest.raises(campaigns.GrabRefused) as refused:
            campaigns.offer_grab(actor=world.other.user, campaign_id=camp.pk, offer_id=offer.pk)
        assert refused.value.code == "not_eligible" and "劳模" in refused.value.message
        camp.refresh_from_db()
        assert camp.extra_rules == ["honours"]
        assert "劳模" in campaigns.ineligibility(camp, world.other, world.other.user)
        assert campaigns.ineligibility(camp, world.member, world.worker) is None
        with pytest.raises(NotFound):
            services.honour_campaign_target(
                actor=world.p.sibling_staffer, org=world.tree.county, campaign_id=camp.pk
            )
        with pytest.raises(Conflict):
            services.honour_campaign_target(actor=world.admin, org=world.tree.county, campaign_id=camp.pk)


def test_donated_cover_enrols_the_honour_holders(world):
    from gonghui.mutual_aid import services as mutual
    from gonghui.mutual_aid.models import Enrolment
    from gonghui.mutual_aid.tests.conftest import product_input

    province_admin = make_staff(world.tree.province, Staff.Role.ADMIN)
    with at(2027, 1, 10):
        product = mutual.product_create(
            actor=province_admin, org=world.tree.province, data=product_input(2027)
        )
        with pytest.raises(DomainError) as err:
            services.honour_cover_donate(actor=world.admin, org=world.tree.county, product_id=product.pk)
        assert err.value.code == "no_holders"
        services.honour_record(
            actor=world.admin,
            org=world.tree.county,
            data=services.HonourInput(
                title="山西省劳动模范",
                level="province",
                year=2025,
                awarding_body="山西省人民政府",
                member_id=world.member.pk,
            ),
        )
        row, created, problems = services.honour_cover_donate(
            actor=world.admin, org=world.tree.county, product_id=product.pk, donated_as="model_worker"
        )
    assert [e.member for e in created] == [world.member] and problems == []
    enrolment = Enrolment.objects.get()
    assert (enrolment.paid_by, enrolment.donated_as) == ("donated", "model_worker")
    assert row.reached == 1


def test_apprenticeship_milestones_then_end_review(world):
    far = make_member(world.tree.sibling_grassroots, user=make_user(name="马徒弟"), name="马徒弟")
    with at(2027, 3, 1):
        ag = services.agreement_sign(
            actor=world.admin,
            org=world.tree.county,
            master_id=world.member.pk,
            apprentice_ids=[far.pk, world.other.pk],
            plan="电气故障排查",
            starts_on=dt.date(2027, 3, 1),
            ends_on=dt.date(2028, 2, 28),
        )
        with pytest.raises(DomainError):
            services.milestone_add(
                actor=world.admin, agreement=ag, title="出师考核", due_on=dt.date(2029, 1, 1)
            )
        step = services.milestone_add(
            actor=world.admin, agreement=ag, title="独立排查电气故障", due_on=dt.date(2027, 9, 1)
        )
        with pytest.raises(DomainError) as err:
            services.agreement_review(actor=world.admin, agreement=ag, review="合格")
        assert err.value.code == "milestones_open"
        services.milestone_done(actor=world.admin, milestone=step, note="两名徒弟均能独立排查")
        with pytest.raises(NotFound):
            services.agreement_review(actor=world.p.sibling_staffer, agreement=ag, review="合格")
        ag = services.agreement_review(actor=world.admin, agreement=ag, review="两名徒弟均达到中级工水平")
    assert ag.status == "completed"
