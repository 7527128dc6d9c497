import datetime as dt

import pytest

from gonghui.cases.models import Case
from gonghui.core import notices
from gonghui.core.errors import Conflict, DomainError, Forbidden, NotFound
from gonghui.core.models import PublicNotice
from gonghui.core.notifications import notifications_for
from gonghui.honours import selectors, services
from gonghui.honours.models import Honour, Nomination, Score, Selection

from .conftest import at


def _scored(world):
    with at(2027, 3, 10):
        sel = world.selection()
        mine = services.nominate(
            actor=world.worker, selection=sel, member_id=world.member.pk, evidence="安全行车十年零事故"
        )
        theirs = services.nominate(
            actor=world.admin, selection=sel, member_id=world.other.pk, evidence="带出徒弟八名"
        )
        for expert, a, b in ((world.expert, 90, 70), (world.expert2, 88, 75)):
            services.score_submit(actor=expert, nomination=mine, score=a)
            services.score_submit(actor=expert, nomination=theirs, score=b)
    return sel, mine, theirs


def test_selection_from_opening_to_notice_to_award_updates_the_register(world):
    sel, mine, theirs = _scored(world)
    with at(2027, 4, 6):  # a Tuesday
        services.selection_publish(actor=world.admin, selection=sel, workdays=5)
        notice = PublicNotice.objects.get(pk=sel.notice_id)
        entries = list(notice.entries.values_list("name_masked", "ref"))
        assert entries == [("王*军", str(mine.pk))]  # quota 1, highest average; name masked
        with pytest.raises(DomainError) as err:
            services.selection_award(actor=world.admin, selection=sel)
        assert err.value.code == "notice_running"
    with at(2027, 4, 14):  # the notice ran 04-06..04-12
        honours = services.selection_award(actor=world.admin, selection=sel, year=2027)
    assert [h.member_id for h in honours] == [world.member.pk]
    sel.refresh_from_db()
    assert sel.status == Selection.Status.AWARDED
    mine_honours = selectors.honours_for_user(world.worker)
    assert [(h.title, h.year) for h in mine_honours] == [("柳林县五一劳动奖章", 2027)]
    assert notifications_for(world.worker).filter(title__contains="柳林县五一劳动奖章").exists()
    theirs.refresh_from_db()
    assert theirs.status == Nomination.Status.NOMINATED


def test_upheld_objection_opens_a_case_and_the_entry_is_not_awarded(world):
    sel, mine, _ = _scored(world)
    with at(2027, 4, 6):
        services.selection_publish(actor=world.admin, selection=sel, workdays=5)
        notice = PublicNotice.objects.get(pk=sel.notice_id)
        entry = notice.entries.get()
        objection = notices.notice_object(
            actor=None,
            notice=notice,
            entry_id=entry.pk,
            reason="该同志去年发生过一次责任事故，与事迹材料不符",
            name="赵群众",
            phone="13800019001",
        )
    case = Case.objects.get(number=objection.case_ref)
    assert case.org == world.tree.county
    with at(2027, 4, 9):
        notices.notice_objection_decide(
            actor=world.admin, objection=objection, upheld=True, decision="经核实属实"
        )
    with at(2027, 4, 14):
        assert services.selection_award(actor=world.admin, selection=sel) == []
    mine.refresh_from_db()
    assert mine.status == Nomination.Status.NOT_AWARDED
    assert not Honour.objects.exists()


def test_conflict_of_interest_is_refused(world):
    with at(2027, 3, 10):
        sel = world.selection()
        # the expert nominates someone, then may not score them
        n = services.nominate(actor=world.admin, selection=sel, member_id=world.other.pk, evidence="事迹")
        sel.panel.add(world.admin)
        with pytest.raises(Forbidden) as err:
            services.score_submit(actor=world.admin, nomination=n, score=99)
        assert err.value.code == "conflict_of_interest"
        # a panelist who is the nominee
        sel.panel.add(world.worker)
        mine = services.nominate(
            actor=world.worker, selection=sel, member_id=world.member.pk, evidence="事迹"
        )
        with pytest.raises(Forbidden):
            services.score_submit(actor=world.worker, nomination=mine, score=100)
        assert not Score.objects.exists()
        # someone not on the panel: 404
        with pytest.raises(NotFound):
            services.score_submit(actor=world.p.city_staffer, nomination=mine, score=50)


def test_bad_input_is_refused_with_field_and_code(world):
    with at(2027, 3, 10):
        with pytest.raises(DomainError) as err:
            world.selection(quota=0)
        assert err.value.field == "quota"
        with pytest.raises(DomainError) as err:
            world.selection(closes_on=dt.date(2027, 2, 1))
        assert err.value.field == "closes_on"
        sel = world.selection()
        with pytest.raises(DomainError) as err:
            services.nominate(actor=world.worker, selection=sel, member_id=world.member.pk, evidence="  ")
        assert err.value.field == "evidence"
        services.nominate(actor=world.worker, selection=sel, member_id=world.member.pk, evidence="事迹")
        with pytest.raises(Conflict):
            services.nominate(actor=world.worker, selection=sel, member_id=world.member.pk, evidence="事迹")
        n = Nomination.objects.get()
        with pytest.raises(DomainError) as err:
            services.score_submit(actor=world.expert, nomination=n, score="101")
        assert err.value.code == "score_invalid"
    with at(2027, 4, 2):
        with pytest.raises(DomainError) as err:
            services.nominate(actor=world.admin, selection=sel, member_id=world.other.pk, evidence="事迹")
        assert err.value.code == "not_open"


def test_sibling_union_staff_get_404_and_nothing_changes(world):
    with at(2027, 3, 10):
        sel = world.selection()
        sibling = world.p.sibling_staffer
        with pytest.raises(NotFound):
            services.nominate(actor=sibling, selection=sel, member_id=world.member.pk, evidence="事迹")
        with pytest.raises(NotFound):
            services.selection_publish(actor=sibling, selection=sel)
        with pytest.raises(NotFound):
            selectors.selection_get(sibling, sel.pk)
        assert list(selectors.honours_in_scope(sibling)) == []
    assert not Nomination.objects.exists()
    sel.refresh_from_db()
    assert sel.status == Selection.Status.OPEN
