"""Journeys of the 司机服务 app through the API and the scheduled jobs, on a controlled clock."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from gonghui.cases.models import Case
from gonghui.core.models import Notification
from gonghui.drivers import services
from gonghui.drivers.models import DriverRequest, HotlineCall, Product, Reminder
from gonghui.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _reminders(user):
    return list(Notification.objects.filter(user=user, kind="drivers").values_list("title", flat=True))


def test_vehicle_and_reminders_sent_once_each(personas, api, sms_outbox, django_capture_on_commit_callbacks):
    worker = personas.worker
    with time_machine.travel(T0, tick=False):
        vid = api(worker).post("drivers/vehicles", {"plate": "晋JA1234", "kind": "重型半挂"}).json()["id"]
        r = api(worker).post(
            "drivers/documents",
            {"kind": "vehicle_inspection", "last_done_on": "2025-04-10", "vehicle_id": vid},
        )
        assert r.status_code == 201, r.content
        assert r.json()["due_on"] == "2026-04-10"
        call_command("drivers_remind", stdout=io.StringIO())
        assert _reminders(worker) == []  # 39 days before: nothing yet
    steps = [
        ("03-11", 1),
        ("03-12", 1),
        ("03-20", 1),
        ("04-03", 2),
        ("04-04", 2),
        ("04-09", 3),
        ("04-10", 3),
        ("04-11", 3),
    ]
    for day, expected in steps:
        month, dom = (int(x) for x in day.split("-"))
        with time_machine.travel(dt.datetime(2026, month, dom, 8, 0, tzinfo=T0.tzinfo), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                services.reminders_send()
            assert len(_reminders(worker)) == expected, day
    titles = _reminders(worker)
    assert any("还有 30 天" in t for t in titles) and any("还有 1 天" in t for t in titles)
    assert all("晋JA1234" in t for t in titles)
    assert Reminder.objects.count() == 3
    assert len([m for m in sms_outbox if "行驶证年审" in str(m)]) == 3


def test_missed_days_send_only_the_most_urgent(personas):
    with time_machine.travel(T0, tick=False):
        services.document_add(actor=personas.worker, kind="insurance", last_done_on=dt.date(2025, 3, 5))
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0
    assert _reminders(personas.worker) == ["车辆保险将于 2026-03-05 到期，还有 3 天"]


def test_request_timeline_and_escalation_to_case_keeps_history(personas, api):
    worker, staff = personas.worker, personas.county_staffer
    with time_machine.travel(T0, tick=False):
        r = api(worker).post(
            "drivers/requests",
            {
                "kind": "accident",
                "plate": "晋JA1234",
                "place": "河北省石家庄市G4高速",
                "description": "对方肇事逃逸，人受轻伤",
            },
        )
        assert r.status_code == 201, r.content
        rid = r.json()["id"]
        assert r.json()["due_on"] == "2026-03-04"  # two working days
        r = api(staff).post(
            f"drivers/requests/{rid}/progress", {"status": "accepted", "assignee": "合作律师 李律师"}
        )
        assert r.status_code == 200, r.content
        r = api(staff).post(f"drivers/requests/{rid}/escalate")
        assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "escalated" and body["case_id"]
    assert body["steps"][0]["body"] == "提交事故协助申请"
    assert "转为维权诉求工单" in body["steps"][-1]["body"]
    case = Case.objects.get(pk=body["case_id"])
    assert case.category == "injury" and case.org == personas.tree.grassroots
    assert (
        "肇事逃逸" in case.description
        and "G4高速" in case.description
        and "合作律师 李律师" in case.description
    )
    assert case.claimant_name == "王建军"
    # The driver sees the progress; escalating twice is refused.
    mine = api(worker).get("drivers/requests/mine").json()
    assert mine[0]["status_display"] == "已转维权诉求"
    assert api(staff).post(f"drivers/requests/{rid}/escalate").json()["code"] == "already_escalated"


def test_hotline_call_matched_and_turned_into_request(personas, api):
    staff, worker = personas.county_staffer, personas.worker
    with time_machine.travel(T0, tick=False):
        r = api(staff).post(
            "drivers/hotline",
            {
                "org_id": personas.tree.grassroots.pk,
                "caller_phone": worker.phone,
                "topic": "行驶证下月年审，人在新疆回不去",
                "promise": "明天联系代办机构回电",
            },
        )
        assert r.status_code == 201, r.content
        call = r.json()
        assert call["member_matched"] and call["caller_name"] == "王*军"  # masked, as everywhere
        assert (
            "****" in call["caller_phone_masked"] and worker.phone[-8:-4] not in call["caller_phone_masked"]
        )
        assert call["promise_due"] == "2026-03-03"
    # Unanswered promises surface the next day, once.
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        assert services.hotline_flag_overdue() == 1
        assert services.hotline_flag_overdue() == 0
        assert Notification.objects.filter(user=staff, title__startswith="热线承诺逾期").count() == 1
        assert api(staff).get("drivers/hotline").json()[0]["overdue"] is True
        r = api(staff).post(f"drivers/hotline/{call['id']}/request", {"kind": "inspection"})
        assert r.status_code == 201, r.content
    req = DriverRequest.objects.get(pk=r.json()["id"])
    assert req.requester == worker and req.hotline_call_id == call["id"] and req.kind == "inspection"
    assert "热线来电登记" in req.steps.first().body
    assert HotlineCall.objects.get(pk=call["id"]).promise_done
    assert api(worker).get("drivers/requests/mine").json()[0]["kind_display"] == "年审代办"


def test_hotline_unknown_caller_cannot_become_request(personas, api):
    staff = personas.county_staffer
    call = services.hotline_log(
        actor=staff, org_id=personas.tree.county.pk, caller_phone="13900001111", topic="咨询违章处理"
    )
    assert call.caller_user is None
    r = api(staff).post(f"drivers/hotline/{call.pk}/request", {"kind": "violation"})
    assert r.status_code == 400 and r.json()["code"] == "caller_unknown"
    r = api(staff).post(
        "drivers/hotline", {"org_id": personas.tree.county.pk, "caller_phone": "123", "topic": "x"}
    )
    assert r.status_code == 400 and r.json()["field"] == "caller_phone"


@pytest.fixture
def tyre(personas):
    return services.product_create(
        actor=personas.county_staffer,
        org_id=personas.tree.county.pk,
        name="载重轮胎 12R22.5",
        purchase_price="1580.00",
        market_price="1690.00",
        stock=5,
        supplier="山东某轮胎厂",
        quality_note="三省工厂实测",
    )


def test_order_pickup_and_savings(personas, api, tyre):
    worker, staff = personas.worker, personas.county_staffer
    with time_machine.travel(T0, tick=False):
        assert [p["name"] for p in api(worker).get("drivers/products").json()] == ["载重轮胎 12R22.5"]
        r = api(worker).post("drivers/orders", {"product_id": tyre.pk, "quantity": 4})
        assert r.status_code == 201, r.content
        order = r.json()
        assert order["saving"] == "440.00" and len(order["pickup_code"]) == 8
        r = api(worker).post("drivers/orders", {"product_id": tyre.pk, "quantity": 2})
        assert r.status_code == 409 and r.json()["code"] == "out_of_stock"
        assert Product.objects.get(pk=tyre.pk).stock == 1
        assert api(staff).get("drivers/supplier-orders").json() == [
            {"product": "载重轮胎 12R22.5", "supplier": "山东某轮胎厂", "quantity": 4}
        ]
        r = api(staff).post("drivers/orders/pickup", {"pickup_code": order["pickup_code"]})
        assert r.status_code == 200 and r.json()["status"] == "picked_up"
        assert (
            api(staff).post("drivers/orders/pickup", {"pickup_code": order["pickup_code"]}).status_code == 409
        )
        assert api(worker).get("drivers/savings/mine").json() == {"year": 2026, "saved": "440.00"}
        assert api(staff).get("drivers/savings").json()["saved"] == "440.00"
        assert api(worker).get("drivers/savings/mine", {"year": 2025}).json()["saved"] == "0.00"


def test_savings_per_member(personas, tyre):
    other = make_user(name="李师傅")
    make_member(personas.tree.grassroots, user=other, name="李师傅")
    with time_machine.travel(T0, tick=False):
        services.order_place(actor=personas.worker, product_id=tyre.pk, quantity=2)
        services.order_place(actor=other, product_id=tyre.pk, quantity=1)
    from gonghui.drivers.selectors import savings_for_member

    assert savings_for_member(user=personas.worker, year=2026) == Decimal("220.00")
    assert savings_for_member(user=other, year=2026) == Decimal("110.00")


def test_scope_sibling_staff_get_404_and_nothing_changes(personas, api, tyre):
    sib = personas.sibling_staffer
    order = services.order_place(actor=personas.worker, product_id=tyre.pk, quantity=1)
    req = services.request_create(actor=personas.worker, kind="violation", plate="晋JA1234")
    call = services.hotline_log(
        actor=personas.county_staffer,
        org_id=personas.tree.county.pk,
        caller_phone="13900001111",
        topic="咨询",
    )
    assert api(sib).post(f"drivers/requests/{req.pk}/escalate").status_code == 404
    assert api(sib).post(f"drivers/requests/{req.pk}/progress", {"status": "done"}).status_code == 404
    assert api(sib).get(f"drivers/requests/{req.pk}").status_code == 404
    assert api(sib).post(f"drivers/hotline/{call.pk}/request", {"kind": "pass"}).status_code == 404
    assert api(sib).post("drivers/orders/pickup", {"pickup_code": order.pickup_code}).status_code == 404
    r = api(sib).post(
        "drivers/products",
        {
            "org_id": personas.tree.county.pk,
            "name": "机油",
            "purchase_price": "1",
            "market_price": "2",
            "stock": 1,
        },
    )
    assert r.status_code == 404
    assert api(sib).get("drivers/requests").json() == [] and api(sib).get("drivers/orders").json() == []
    req.refresh_from_db()
    order.refresh_from_db()
    assert req.status == "submitted" and req.case_id is None and order.status == "placed"
    assert Case.objects.count() == 0 and Product.objects.count() == 1
    # A member of a sibling union cannot buy from this union's list either.
    stranger = make_user(name="吴师傅")
    make_member(personas.tree.sibling_grassroots, user=stranger, name="吴师傅")
    r = api(stranger).post("drivers/orders", {"product_id": tyre.pk, "quantity": 1})
    assert r.status_code == 404


def test_union_sees_opted_in_due_this_month_only(personas, api):
    with time_machine.travel(T0, tick=False):
        services.document_add(
            actor=personas.worker,
            kind="transport_permit",
            last_done_on=dt.date(2025, 3, 20),
            share_with_union=True,
        )
        services.document_add(actor=personas.worker, kind="insurance", last_done_on=dt.date(2025, 3, 21))
        rows = api(personas.county_staffer).get("drivers/due-this-month").json()
        assert rows == [
            {"kind_display": "道路运输证年审", "due_on": "2026-03-20", "driver_name": "王建军", "plate": None}
        ]
        assert api(personas.sibling_staffer).get("drivers/due-this-month").json() == []


def test_hotline_call_turned_into_case(personas, api):
    staff = personas.county_staffer
    call = services.hotline_log(
        actor=staff,
        org_id=personas.tree.grassroots.pk,
        caller_phone=personas.worker.phone,
        topic="老板拖欠三个月运费工资",
        promise="转维权",
    )
    r = api(staff).post(f"drivers/hotline/{call.pk}/case", {"category": "wages"})
    assert r.status_code == 201, r.content
    case = Case.objects.get(pk=r.json()["case_id"])
    assert (
        case.category == "wages" and case.org == personas.tree.grassroots and case.claimant_name == "王建军"
    )
    assert "拖欠三个月" in case.description
    assert HotlineCall.objects.get(pk=call.pk).promise_done
    assert api(personas.sibling_staffer).post(f"drivers/hotline/{call.pk}/case", {}).status_code == 404
    assert Case.objects.count() == 1
