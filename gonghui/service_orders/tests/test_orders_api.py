import datetime as dt

import pytest
from django.utils import timezone

from gonghui.core.models import AuditEvent, Notification
from gonghui.service_orders.models import Booking, ServiceOrder

from .conftest import at, place

pytestmark = pytest.mark.django_db


def order_payload(personas, menu, **over):
    data = {
        "item_id": menu.checkup.pk,
        "org_id": personas.tree.grassroots.pk,
        "preferred_dates": [str(menu.monday)],
        "headcount": 80,
        "address": "预石运输公司三楼会议室",
        "contact_name": "李桂兰",
        "contact_phone": "13912345678",
        "needs": "80多名司机",
    }
    data.update(over)
    return data


def test_full_lifecycle_through_the_api(personas, menu, api):
    union, dispatcher = api(personas.grassroots_admin), api(personas.county_staffer)
    r = union.post("service-orders/orders", order_payload(personas, menu))
    assert r.status_code == 201, r.json()
    order = r.json()
    assert order["status"] == "ordered" and order["expected_date"] == str(menu.monday)
    assert order["contact_phone_masked"].startswith("139") and "5678" in order["contact_phone_masked"]

    queue = dispatcher.get("service-orders/queue").json()
    assert [o["id"] for o in queue] == [order["id"]]
    s = dispatcher.get(f"service-orders/orders/{order['id']}/suggestion").json()
    assert s["found"] and s["preferred"] and len(s["expert_ids"]) == 2
    r = dispatcher.post(
        f"service-orders/orders/{order['id']}/schedule", {"start": s["start"], "expert_ids": s["expert_ids"]}
    )
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "scheduled" and len(r.json()["bookings"]) == 2
    assert Notification.objects.filter(user=personas.grassroots_admin, title__contains="已排期").exists()

    assert union.post(f"service-orders/orders/{order['id']}/confirm").json()["status"] == "confirmed"
    # Attendance only after the session has happened.
    r = dispatcher.post(f"service-orders/orders/{order['id']}/attend", {"attended_count": 82})
    assert r.status_code == 400 and r.json()["code"] == "not_started"
    ServiceOrder.objects.filter(pk=order["id"]).update(
        scheduled_start=timezone.now() - dt.timedelta(hours=3),
        scheduled_end=timezone.now() - dt.timedelta(hours=1),
    )
    r = dispatcher.post(
        f"service-orders/orders/{order['id']}/attend", {"attended_count": 82, "note": "讲解海姆立克急救"}
    )
    assert r.json()["status"] == "served" and r.json()["attended_count"] == 82
    r = union.post(f"service-orders/orders/{order['id']}/rate", {"rating": 5, "comment": "讲得很实用"})
    assert r.json()["status"] == "rated"
    actions = set(AuditEvent.objects.filter(object_id=str(order["id"])).values_list("action", flat=True))
    assert {
        "service_order.place",
        "service_order.schedule",
        "service_order.confirm",
        "service_order.attend",
        "service_order.rate",
    } <= actions
    stats = union.get("service-orders/stats").json()
    assert stats["total"]["delivered"] == 1 and stats["total"]["workers"] == 82
    medical = next(c for c in stats["by_category"] if c["name"] == "医疗健康")
    assert medical["orders"] == 1 and medical["avg_rating"] == 5


@pytest.mark.parametrize(
    "action,payload",
    [
        ("confirm", {}),
        ("attend", {"attended_count": 10}),
        ("rate", {"rating": 5}),
    ],
)
def test_illegal_transitions_refused_from_ordered(personas, menu, api, action, payload):
    order = place(personas, menu.checkup, [menu.monday])
    client = api(personas.county_staffer)
    r = client.post(f"service-orders/orders/{order.pk}/{action}", payload)
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    assert "已下单" in r.json()["message"]
    order.refresh_from_db()
    assert order.status == "ordered"


def test_cannot_rate_twice_or_cancel_after_service(personas, menu, api):
    order = place(personas, menu.talk, [menu.monday])
    from gonghui.service_orders import services

    services.order_schedule(
        actor=personas.county_staffer, order=order, start=at(menu.monday, 9), expert_ids=[menu.counsellor.pk]
    )
    services.order_confirm(actor=personas.grassroots_admin, order=order)
    ServiceOrder.objects.filter(pk=order.pk).update(scheduled_start=timezone.now() - dt.timedelta(hours=2))
    services.order_attend(actor=personas.county_staffer, order=order, attended_count=12)
    client = api(personas.grassroots_admin)
    assert client.post(f"service-orders/orders/{order.pk}/rate", {"rating": 4}).status_code == 200
    assert client.post(f"service-orders/orders/{order.pk}/rate", {"rating": 1}).status_code == 409
    r = client.post(f"service-orders/orders/{order.pk}/cancel", {"reason": "不想要了"})
    assert r.status_code == 409
    order.refresh_from_db()
    assert order.status == "rated" and order.rating == 4


def test_cancel_by_union_releases_the_experts(personas, menu, api):
    order = place(personas, menu.talk, [menu.monday])
    from gonghui.service_orders import services

    services.order_schedule(
        actor=personas.county_staffer, order=order, start=at(menu.monday, 9), expert_ids=[menu.counsellor.pk]
    )
    client = api(personas.grassroots_admin)
    r = client.post(f"service-orders/orders/{order.pk}/cancel", {"reason": ""})
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = client.post(f"service-orders/orders/{order.pk}/cancel", {"reason": "当天企业停产检修"})
    assert r.json()["status"] == "cancelled" and r.json()["closed_by_side"] == "union"
    assert not Booking.objects.filter(order=order, is_active=True).exists()
    other = place(personas, menu.talk, [menu.monday])
    services.order_schedule(
        actor=personas.county_staffer, order=other, start=at(menu.monday, 9), expert_ids=[menu.counsellor.pk]
    )
    assert Notification.objects.filter(user=personas.county_staffer, title__contains="已取消").exists()


def test_dispatcher_declines_with_reason(personas, menu, api):
    order = place(personas, menu.talk, [menu.monday])
    r = api(personas.county_staffer).post(
        f"service-orders/orders/{order.pk}/decline", {"reason": "该项目本年度已停办"}
    )
    assert r.json()["status"] == "declined" and r.json()["closed_by_side"] == "provider"
    # The ordering union cannot decline its own order.
    order2 = place(personas, menu.talk, [menu.monday])
    assert (
        api(personas.grassroots_admin)
        .post(f"service-orders/orders/{order2.pk}/decline", {"reason": "x"})
        .status_code
        == 404
    )


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "over,field,words",
    [
        ({"preferred_dates": ["2020-01-06"]}, "preferred_date1", "已经过去"),
        ({"preferred_dates": ["__tomorrow__"]}, "preferred_date1", "提前 3 天"),
        ({"preferred_dates": ["__monday__", "__tomorrow__"]}, "preferred_date2", "第2个希望日期"),
        ({"preferred_dates": []}, "preferred_date1", "至少选择一个"),
        ({"preferred_dates": ["__monday__"] * 4}, "preferred_date3", "最多"),
        ({"headcount": 5}, "headcount", "20–100 人"),
        ({"headcount": 500}, "headcount", "20–100 人"),
        ({"address": ""}, "address", "服务地点"),
        ({"contact_phone": "12345"}, "contact_phone", "手机"),
    ],
)
def test_bad_order_input_names_the_field(personas, menu, api, over, field, words):
    tomorrow = str(timezone.localdate() + dt.timedelta(days=1))
    if "preferred_dates" in over:
        over = {
            "preferred_dates": [
                tomorrow if d == "__tomorrow__" else str(menu.monday) if d == "__monday__" else d
                for d in over["preferred_dates"]
            ]
        }
    r = api(personas.grassroots_admin).post("service-orders/orders", order_payload(personas, menu, **over))
    assert r.status_code == 400, r.json()
    assert r.json()["field"] == field
    assert words in r.json()["message"]
    assert not ServiceOrder.objects.exists()


def test_item_outside_area_refused(personas, menu, api):
    from gonghui.service_orders import services
    from gonghui.testing.factories import make_staff

    other_admin = make_staff(personas.tree.sibling_county, name="邻区干部")
    team = services.team_create(actor=other_admin, org=personas.tree.sibling_county, name="小店区服务团")
    item = services.item_create(
        actor=other_admin,
        org=personas.tree.sibling_county,
        category="legal",
        name="劳动法律讲座",
        team=team,
        min_headcount=10,
        max_headcount=50,
        mode="onsite",
        lead_days=3,
        duration_minutes=90,
        experts_needed=1,
    )
    # Invisible from 柳林: not found, not even its name.
    r = api(personas.grassroots_admin).post(
        "service-orders/orders", order_payload(personas, menu, item_id=item.pk)
    )
    assert r.status_code == 404
    # A 柳林 county staffer may see the sibling's menu? No: and a city publisher's item is orderable below it.
    with pytest.raises(Exception) as exc:
        services.order_place(
            actor=personas.grassroots_admin,
            item=item,
            org=personas.tree.grassroots,
            preferred_dates=[menu.monday],
            headcount=20,
            address="x",
            contact_name="李",
            contact_phone="13912345678",
        )
    assert getattr(exc.value, "field", None) == "item" and "不在" in exc.value.message


def test_schedule_bad_input(personas, menu, api):
    order = place(personas, menu.checkup, [menu.monday])
    client = api(personas.county_staffer)
    r = client.post(
        f"service-orders/orders/{order.pk}/schedule",
        {"start": at(menu.monday, 9).isoformat(), "expert_ids": [menu.doctor.pk]},
    )
    assert r.status_code == 400 and r.json()["field"] == "expert_ids" and "2 位专家" in r.json()["message"]
    r = client.post(
        f"service-orders/orders/{order.pk}/schedule",
        {"start": at(menu.monday, 9).isoformat(), "expert_ids": [menu.doctor.pk, menu.lawyer.pk]},
    )
    assert r.status_code == 400 and r.json()["field"] == "expert_ids"
    r = client.post(
        f"service-orders/orders/{order.pk}/schedule",
        {"start": at(menu.monday, 19).isoformat(), "expert_ids": [menu.doctor.pk, menu.counsellor.pk]},
    )
    assert r.status_code == 409 and r.json()["field"] == "start"
    r = client.post(
        f"service-orders/orders/{order.pk}/schedule",
        {"start": "2020-01-06T09:00:00+08:00", "expert_ids": [menu.doctor.pk, menu.counsellor.pk]},
    )
    assert r.status_code == 400 and r.json()["field"] == "start"
    order.refresh_from_db()
    assert order.status == "ordered" and not Booking.objects.exists()


def test_phone_order_recorded_by_staff(personas, menu, api):
    r = api(personas.county_staffer).post(
        "service-orders/orders", order_payload(personas, menu, channel="phone")
    )
    assert r.status_code == 201 and r.json()["channel"] == "phone"
    # A grassroots admin cannot pretend to be the phone desk.
    r = api(personas.grassroots_admin).post(
        "service-orders/orders", order_payload(personas, menu, channel="phone")
    )
    assert r.status_code == 404


def test_expert_leave_clashing_with_booking_refused(personas, menu, api):
    order = place(personas, menu.talk, [menu.monday])
    from gonghui.service_orders import services

    services.order_schedule(
        actor=personas.county_staffer, order=order, start=at(menu.monday, 9), expert_ids=[menu.counsellor.pk]
    )
    r = api(personas.county_staffer).post(
        f"service-orders/experts/{menu.counsellor.pk}/leaves",
        {"start_date": str(menu.monday), "end_date": str(menu.monday)},
    )
    assert r.status_code == 400 and r.json()["field"] == "start_date" and "心理疏导" in r.json()["message"]


def test_calendars(personas, menu, api):
    order = place(personas, menu.checkup, [menu.monday])
    from gonghui.service_orders import services

    services.order_schedule(
        actor=personas.county_staffer,
        order=order,
        start=at(menu.monday, 9),
        expert_ids=[menu.doctor.pk, menu.counsellor.pk],
    )
    staff = api(personas.county_staffer)
    week = staff.get(
        f"service-orders/experts/{menu.doctor.pk}/calendar",
        {"view": "week", "date": str(menu.monday + dt.timedelta(days=3))},
    ).json()
    assert [e["order_id"] for e in week] == [order.pk]
    month = staff.get(
        f"service-orders/teams/{menu.team.pk}/calendar", {"view": "month", "date": str(menu.monday)}
    )
    assert sorted(month.json()[0]["experts"]) == ["张医生", "李咨询师"]
    union = api(personas.grassroots_admin).get(
        "service-orders/calendar", {"org_id": personas.tree.grassroots.pk, "date": str(menu.monday)}
    )
    assert [e["title"] for e in union.json()] == ["身心双检"]
    later = staff.get(
        f"service-orders/experts/{menu.doctor.pk}/calendar",
        {"view": "week", "date": str(menu.monday + dt.timedelta(days=7))},
    ).json()
    assert later == []


def test_visible_item_for_a_union_outside_its_area_names_the_field(personas, menu, api):
    from gonghui.orgs.models import Org
    from gonghui.testing.factories import make_org

    # 吕梁 city staff see 柳林's menu, but a union in another 吕梁 county may not order from it.
    other_county = make_org(personas.tree.city, Org.Kind.COUNTY, "离石区总工会")
    outsider = make_org(other_county, Org.Kind.GRASSROOTS, "离石某煤矿工会")
    r = api(personas.city_staffer).post(
        "service-orders/orders", order_payload(personas, menu, org_id=outsider.pk)
    )
    assert r.status_code == 400 and r.json()["field"] == "item"
    assert "不在" in r.json()["message"] and "身心双检" in r.json()["message"]
    assert not ServiceOrder.objects.exists()


def test_expert_with_phone_gets_an_expert_position_and_sees_own_calendar(personas, menu, api):
    from django.test import Client

    from gonghui.accounts.models import User
    from gonghui.orgs.models import Staff

    client = api(personas.county_staffer)
    r = client.post(
        "service-orders/experts",
        {
            "org_id": personas.tree.county.pk,
            "team_id": menu.team.pk,
            "name": "刘教练",
            "kind": "coach",
            "skills": "八段锦",
            "phone": "12345",
        },
    )
    assert r.status_code == 400 and r.json()["field"] == "phone"
    r = client.post(
        "service-orders/experts",
        {
            "org_id": personas.tree.county.pk,
            "team_id": menu.team.pk,
            "name": "刘教练",
            "kind": "coach",
            "skills": "八段锦",
            "phone": "13912340000",
        },
    )
    assert r.status_code == 201 and r.json()["has_account"] is True
    user = User.objects.get_by_phone("13912340000")
    assert Staff.objects.filter(user=user, org=personas.tree.county, role="expert").exists()
    page = Client()
    page.force_login(user)
    home = page.get("/workbench/service-orders/").content.decode()
    assert "查看我的服务日程" in home
    # An expert may look, not dispatch.
    order = place(personas, menu.talk, [menu.monday])
    r = api(user).post(
        f"service-orders/orders/{order.pk}/schedule",
        {"start": at(menu.monday, 9).isoformat(), "expert_ids": [menu.counsellor.pk]},
    )
    assert r.status_code == 404
