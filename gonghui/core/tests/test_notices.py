"""公示: masking, the working-day period, objections that reach the owner, and what may proceed."""

import datetime as dt

import pytest
import time_machine

from gonghui.core import notices
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEvent, NoticeEntry, NoticeObjection, PublicNotice
from gonghui.core.notices import NoticeLine

pytestmark = pytest.mark.django_db

OPENED = []


@pytest.fixture(autouse=True)
def _source():
    OPENED.clear()

    def on_objection(objection):
        OPENED.append(objection.pk)
        return f"CASE-{objection.pk}"

    notices.register_source("test", label="测试公示", on_objection=on_objection)


def publish(personas, **kw):
    args = {
        "actor": personas.county_staffer,
        "org": personas.tree.county,
        "source": "test",
        "source_ref": "7",
        "title": "2026年金秋助学拟资助名单公示",
        "lines": [
            NoticeLine(name="王建军", ref="11", unit="预石运输工会", detail="5,000.00 元"),
            NoticeLine(name="李娜", ref="12", unit="柳林镇工会", detail="3,000.00 元"),
        ],
    }
    args.update(kw)
    return notices.notice_publish(**args)


@time_machine.travel(dt.datetime(2026, 9, 28, 10, tzinfo=dt.UTC))  # a Monday before 国庆
def test_names_are_masked_before_they_are_stored(personas):
    notice = publish(personas)
    names = list(notice.entries.values_list("name_masked", flat=True))
    assert names == ["王*军", "李*"]
    assert not PublicNotice.objects.filter(title__contains="王建军").exists()


@time_machine.travel(dt.datetime(2026, 9, 28, 2, tzinfo=dt.UTC))
def test_five_working_days_jump_the_national_day_holiday(personas):
    notice = publish(personas)
    # 9/28 Mon, 9/29 Tue, 9/30 Wed, then 10/1–7 off, 10/8 Thu, 10/9 Fri.
    assert (notice.starts_on, notice.ends_on) == (dt.date(2026, 9, 28), dt.date(2026, 10, 9))


@time_machine.travel(dt.datetime(2026, 9, 26, 2, tzinfo=dt.UTC))  # a Saturday (中秋)
def test_published_on_a_holiday_starts_on_the_next_working_day_and_period_is_configurable(personas, settings):
    settings.GONGHUI_NOTICE_WORKDAYS = 7
    notice = publish(personas)
    assert notice.starts_on == dt.date(2026, 9, 28)
    assert notice.workdays == 7
    # 9/28, 9/29, 9/30, (国庆) 10/8, 10/9, 10/10 (调休周六), 10/12
    assert notice.ends_on == dt.date(2026, 10, 12)


def test_cleared_only_after_the_period_and_without_objection(personas):
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)):  # Monday
        notice = publish(personas)
        assert notice.ends_on == dt.date(2026, 11, 6)
        entry = notice.entries.get(ref="11")
        notices.notice_object(
            actor=None,
            notice=notice,
            entry_id=entry.pk,
            name="张三",
            phone="13800015099",
            reason="该职工家庭并不困难，有两套住房",
        )
        assert notices.notice_cleared_refs(notice) == set()
    with time_machine.travel(dt.datetime(2026, 11, 6, 15, tzinfo=dt.UTC)):  # 23:00 Friday, last day
        assert notices.notice_is_open(notice)
        assert notices.notice_cleared_refs(notice) == set()
    with time_machine.travel(dt.datetime(2026, 11, 7, 2, tzinfo=dt.UTC)):
        assert notices.notice_cleared_refs(notice) == {"12"}  # 11 is disputed
        objection = NoticeObjection.objects.get()
        notices.notice_objection_decide(
            actor=personas.county_staffer, objection=objection, upheld=False, decision="入户核实，住房为租住"
        )
        assert notices.notice_cleared_refs(notice) == {"11", "12"}


def test_upheld_objection_removes_the_entry(personas):
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)):
        notice = publish(personas)
        entry = notice.entries.get(ref="12")
        objection = notices.notice_object(
            actor=None,
            notice=notice,
            entry_id=entry.pk,
            name="张三",
            phone="13800015098",
            reason="此人已领取县里同一助学金",
        )
        notices.notice_objection_decide(
            actor=personas.county_staffer, objection=objection, upheld=True, decision="核实属实，撤销资助"
        )
        assert NoticeEntry.objects.get(pk=entry.pk).status == NoticeEntry.Status.UPHELD
    with time_machine.travel(dt.datetime(2026, 11, 9, 2, tzinfo=dt.UTC)):
        assert notices.notice_cleared_refs(notice) == {"11"}


def test_objection_reaches_the_owner_and_stores_contact_encrypted(personas):
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)):
        notice = publish(personas)
        objection = notices.notice_object(
            actor=None, notice=notice, name="张三", phone="138 0001 5097", reason="名单中有人不是本单位职工"
        )
    assert [objection.pk] == OPENED
    assert objection.case_ref == f"CASE-{objection.pk}"
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select reporter_phone from core_noticeobjection")
        raw = cur.fetchone()[0]
    assert "13800015097" not in raw
    event = AuditEvent.objects.get(action="notice.object")
    assert "13800015097" not in str(event.detail)


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("reason", {"reason": "太短"}),
        ("phone", {"phone": "12345"}),
        ("name", {"name": " "}),
        ("entry", {"entry_id": 999999}),
    ],
)
def test_bad_objections_are_refused_with_the_field(personas, field, kw):
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)):
        notice = publish(personas)
        args = {"name": "张三", "phone": "13800015096", "reason": "名单中有人不是本单位职工", **kw}
        with pytest.raises(DomainError) as exc:
            notices.notice_object(actor=None, notice=notice, **args)
    assert exc.value.field == field
    assert not NoticeObjection.objects.exists()


def test_no_objection_after_the_period(personas):
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)):
        notice = publish(personas)
    with (
        time_machine.travel(dt.datetime(2026, 11, 9, 2, tzinfo=dt.UTC)),
        pytest.raises(DomainError) as exc,
    ):
        notices.notice_object(
            actor=None, notice=notice, name="张三", phone="13800015096", reason="名单中有人不是本单位职工"
        )
    assert exc.value.code == "notice_closed"


@pytest.mark.parametrize("workdays", [0, 31])
def test_period_out_of_range_is_refused(personas, workdays):
    with pytest.raises(DomainError) as exc:
        publish(personas, workdays=workdays)
    assert exc.value.field == "workdays"


def test_public_page_shows_masked_names_and_takes_an_objection_without_sign_in(personas, client):
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)):
        notice = publish(personas)
        page = client.get(f"/notices/{notice.pk}/")
        html = page.content.decode()
        assert "王*军" in html and "王建军" not in html
        assert "/notices/" in client.get("/notices/").content.decode()
        bad = client.post(f"/notices/{notice.pk}/", {"name": "张三", "phone": "13800015095", "reason": "短"})
        assert bad.status_code == 400 and "不少于10个字" in bad.content.decode()
        ok = client.post(
            f"/notices/{notice.pk}/",
            {"name": "张三", "phone": "13800015095", "reason": "名单中有人不是本单位职工", "entry": ""},
        )
        assert ok.status_code == 302
        assert NoticeObjection.objects.count() == 1
