import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.service_orders import services
from gonghui.service_orders.models import Booking, Expert, Leave, ServiceItem, ServiceOrder

from .conftest import at, place

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_union_orders_from_menu_page_and_sees_expected_date(personas, menu):
    client = login(personas.grassroots_admin)
    page = client.get(reverse("service_orders_bench:menu"))
    assert page.status_code == 200 and "身心双检" in page.content.decode()
    url = reverse("service_orders_bench:item", args=[menu.checkup.pk])
    r = client.post(
        url,
        {
            "org": personas.tree.grassroots.pk,
            "preferred_date1": str(menu.monday),
            "headcount": 80,
            "address": "博阳机械三楼",
            "contact_name": "李桂兰",
            "contact_phone": "13912345678",
        },
    )
    assert r.status_code == 302
    order = ServiceOrder.objects.get()
    assert order.channel == "online" and order.created_by == personas.grassroots_admin
    detail = client.get(r["Location"]).content.decode()
    assert "预计最早" in detail and str(menu.monday) in detail


def test_order_form_shows_error_next_to_field_and_keeps_input(personas, menu):
    client = login(personas.grassroots_admin)
    url = reverse("service_orders_bench:item", args=[menu.checkup.pk])
    r = client.post(
        url,
        {
            "org": personas.tree.grassroots.pk,
            "preferred_date1": str(menu.monday),
            "headcount": 500,
            "address": "博阳机械三楼",
            "contact_name": "李桂兰",
            "contact_phone": "13912345678",
            "needs": "八十多名职工",
        },
    )
    html = r.content.decode()
    assert r.status_code == 422
    assert "每场 20–100 人" in html and 'value="博阳机械三楼"' in html and "八十多名职工" in html
    assert not ServiceOrder.objects.exists()


def test_dispatcher_schedules_from_order_page(personas, menu):
    order = place(personas, menu.checkup, [menu.monday])
    client = login(personas.county_staffer)
    assert "身心双检" in client.get(reverse("service_orders_bench:queue")).content.decode()
    page = client.get(reverse("service_orders_bench:order", args=[order.pk])).content.decode()
    assert "建议" in page and "张医生" in page
    url = reverse("service_orders_bench:order_action", args=[order.pk, "schedule"])
    # A clash is reported next to the date, nothing is booked.
    r = client.post(
        url, {"day": str(menu.monday), "time": "18:00", "expert_ids": [menu.doctor.pk, menu.counsellor.pk]}
    )
    assert r.status_code == 422 and "不在可服务时间内" in r.content.decode()
    assert not Booking.objects.exists()
    r = client.post(
        url, {"day": str(menu.monday), "time": "09:00", "expert_ids": [menu.doctor.pk, menu.counsellor.pk]}
    )
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "scheduled" and order.scheduled_start == at(menu.monday, 9)


def test_expert_pages_and_calendar(personas, menu):
    order = place(personas, menu.talk, [menu.monday])
    services.order_schedule(
        actor=personas.county_staffer, order=order, start=at(menu.monday, 9), expert_ids=[menu.counsellor.pk]
    )
    client = login(personas.county_staffer)
    url = reverse("service_orders_bench:expert", args=[menu.counsellor.pk])
    week = client.get(url, {"date": str(menu.monday)}).content.decode()
    assert "心理疏导" in week and "09:00" in week
    assert "心理疏导" in client.get(url, {"view": "month", "date": str(menu.monday)}).content.decode()
    r = client.post(
        url,
        {
            "form": "leave",
            "start_date": str(menu.monday + dt.timedelta(days=2)),
            "end_date": str(menu.monday + dt.timedelta(days=1)),
            "reason": "x",
        },
    )
    assert r.status_code == 422 and "不能早于开始日期" in r.content.decode()
    r = client.post(
        url, {"form": "hours", "w0_s1": "08:30", "w0_e1": "11:30", "w2_s2": "14:00", "w2_e2": "17:00"}
    )
    assert r.status_code == 302
    assert menu.counsellor.availability.count() == 2
    team = client.get(
        reverse("service_orders_bench:team_calendar", args=[menu.team.pk]), {"date": str(menu.monday)}
    )
    assert "李咨询师" in team.content.decode()
    union = login(personas.grassroots_admin).get(
        reverse("service_orders_bench:calendar"),
        {"org": personas.tree.grassroots.pk, "date": str(menu.monday), "view": "month"},
    )
    assert "心理疏导" in union.content.decode()
    assert client.get(reverse("service_orders_bench:stats")).status_code == 200


def test_publisher_creates_item_and_expert(personas, menu):
    client = login(personas.county_staffer)
    r = client.post(
        reverse("service_orders_bench:item_new"),
        {
            "org": personas.tree.county.pk,
            "category": "skills",
            "name": "八段锦",
            "team": menu.team.pk,
            "experts_needed": 1,
            "duration_minutes": 60,
            "min_headcount": 30,
            "max_headcount": 10,
            "mode": "onsite",
            "lead_days": 5,
            "is_published": "on",
        },
    )
    assert r.status_code == 422 and "最多人数不能少于最少人数" in r.content.decode()
    r = client.post(
        reverse("service_orders_bench:item_new"),
        {
            "org": personas.tree.county.pk,
            "category": "skills",
            "name": "八段锦",
            "team": menu.team.pk,
            "experts_needed": 1,
            "duration_minutes": 60,
            "min_headcount": 10,
            "max_headcount": 60,
            "mode": "onsite",
            "lead_days": 5,
            "is_published": "on",
        },
    )
    assert r.status_code == 302 and ServiceItem.objects.filter(name="八段锦").exists()
    r = client.post(
        reverse("service_orders_bench:experts"),
        {
            "form": "expert",
            "name": "刘教练",
            "kind": "coach",
            "team": menu.team.pk,
            "skills": "八段锦、乒乓球",
        },
    )
    assert r.status_code == 302 and Expert.objects.filter(name="刘教练").exists()
    # A grassroots admin cannot publish.
    assert login(personas.grassroots_admin).get(reverse("service_orders_bench:item_new")).status_code == 404


# --- scope: a sibling city's staff get 404 everywhere and change nothing ----------------------------


def _sibling_targets(personas, menu, order):
    pages = [
        ("get", reverse("service_orders_bench:item", args=[menu.checkup.pk]), {}),
        (
            "post",
            reverse("service_orders_bench:item", args=[menu.checkup.pk]),
            {
                "org": personas.tree.sibling_grassroots.pk,
                "preferred_date1": str(menu.monday),
                "headcount": 30,
                "address": "x",
                "contact_name": "x",
                "contact_phone": "13912345678",
            },
        ),
        ("get", reverse("service_orders_bench:item_edit", args=[menu.checkup.pk]), {}),
        ("post", reverse("service_orders_bench:item_edit", args=[menu.checkup.pk]), {"name": "改名"}),
        ("get", reverse("service_orders_bench:order", args=[order.pk]), {}),
        ("get", reverse("service_orders_bench:expert", args=[menu.doctor.pk]), {}),
        (
            "post",
            reverse("service_orders_bench:expert", args=[menu.doctor.pk]),
            {"form": "leave", "start_date": str(menu.monday), "end_date": str(menu.monday)},
        ),
        ("get", reverse("service_orders_bench:team_calendar", args=[menu.team.pk]), {}),
        ("get", reverse("service_orders_bench:calendar"), {"org": personas.tree.grassroots.pk}),
    ]
    for action in ("schedule", "confirm", "attend", "rate", "cancel", "decline"):
        pages.append(
            (
                "post",
                reverse("service_orders_bench:order_action", args=[order.pk, action]),
                {
                    "reason": "x",
                    "rating": 1,
                    "attended_count": 1,
                    "day": str(menu.monday),
                    "time": "09:00",
                    "expert_ids": [menu.doctor.pk],
                },
            )
        )
    return pages


def _api_targets(personas, menu, order):
    m, o = menu, order
    return [
        ("get", f"service-orders/items/{m.checkup.pk}", None),
        ("patch", f"service-orders/items/{m.checkup.pk}", {"name": "改名"}),
        ("get", f"service-orders/experts/{m.doctor.pk}", None),
        ("patch", f"service-orders/experts/{m.doctor.pk}", {"is_active": False}),
        ("put", f"service-orders/experts/{m.doctor.pk}/availability", {"hours": []}),
        (
            "post",
            f"service-orders/experts/{m.doctor.pk}/leaves",
            {"start_date": str(m.monday), "end_date": str(m.monday)},
        ),
        ("get", f"service-orders/experts/{m.doctor.pk}/calendar", None),
        ("get", f"service-orders/teams/{m.team.pk}/calendar", None),
        ("get", f"service-orders/orders/{o.pk}", None),
        ("get", f"service-orders/orders/{o.pk}/suggestion", None),
        (
            "post",
            f"service-orders/orders/{o.pk}/schedule",
            {"start": at(m.monday, 9).isoformat(), "expert_ids": [m.doctor.pk, m.counsellor.pk]},
        ),
        ("post", f"service-orders/orders/{o.pk}/confirm", {}),
        ("post", f"service-orders/orders/{o.pk}/attend", {"attended_count": 1}),
        ("post", f"service-orders/orders/{o.pk}/rate", {"rating": 1}),
        ("post", f"service-orders/orders/{o.pk}/cancel", {"reason": "x"}),
        ("post", f"service-orders/orders/{o.pk}/decline", {"reason": "x"}),
        ("get", "service-orders/calendar", {"org_id": personas.tree.grassroots.pk}),
        (
            "post",
            "service-orders/orders",
            {
                "item_id": m.checkup.pk,
                "org_id": personas.tree.grassroots.pk,
                "preferred_dates": [str(m.monday)],
                "headcount": 30,
                "address": "x",
                "contact_name": "x",
                "contact_phone": "13912345678",
            },
        ),
        (
            "post",
            "service-orders/items",
            {"org_id": personas.tree.county.pk, "category": "legal", "name": "x", "team_id": m.team.pk},
        ),
        (
            "post",
            "service-orders/experts",
            {"org_id": personas.tree.county.pk, "name": "x", "kind": "lawyer"},
        ),
        ("post", "service-orders/teams", {"org_id": personas.tree.county.pk, "name": "x"}),
    ]


def _snapshot():
    return (
        list(ServiceOrder.objects.values_list("pk", "status", "scheduled_start")),
        list(ServiceItem.objects.values_list("pk", "name")),
        Booking.objects.count(),
        Leave.objects.count(),
        list(Expert.objects.values_list("pk", "is_active", "name")),
    )


def test_sibling_staff_get_404_on_every_page_and_change_nothing(personas, menu):
    order = place(personas, menu.checkup, [menu.monday])
    before, audits = _snapshot(), AuditEvent.objects.count()
    client = login(personas.sibling_staffer)
    for method, url, data in _sibling_targets(personas, menu, order):
        r = getattr(client, method)(url, data)
        assert r.status_code == 404, (method, url, r.status_code)
    assert _snapshot() == before and AuditEvent.objects.count() == audits
    # Lists are empty rather than forbidden.
    for name in ("menu", "orders", "queue", "experts", "stats", "home"):
        html = client.get(reverse(f"service_orders_bench:{name}")).content.decode()
        assert order.number not in html and "张医生" not in html and "柳林县总工会专家服务团" not in html, (
            name
        )


def test_sibling_staff_get_404_on_every_api_endpoint(personas, menu, api):
    order = place(personas, menu.checkup, [menu.monday])
    before = _snapshot()
    client = api(personas.sibling_staffer)
    for method, path, data in _api_targets(personas, menu, order):
        r = getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
        assert r.status_code == 404, (method, path, r.status_code, r.content[:200])
    assert _snapshot() == before
    for path in (
        "service-orders/items",
        "service-orders/orders",
        "service-orders/queue",
        "service-orders/experts",
        "service-orders/teams",
    ):
        assert client.get(path).json() == [], path
    assert client.get("service-orders/stats").json()["total"]["orders"] == 0


def test_grassroots_admin_cannot_dispatch_or_see_experts(personas, menu, api):
    order = place(personas, menu.checkup, [menu.monday])
    client = api(personas.grassroots_admin)
    r = client.post(
        f"service-orders/orders/{order.pk}/schedule",
        {"start": at(menu.monday, 9).isoformat(), "expert_ids": [menu.doctor.pk, menu.counsellor.pk]},
    )
    assert r.status_code == 404
    assert client.get(f"service-orders/experts/{menu.doctor.pk}").status_code == 404
    assert client.get("service-orders/queue").json() == []
    order.refresh_from_db()
    assert order.status == "ordered" and not Booking.objects.exists()


def test_list_pages_do_not_query_per_row(personas, menu):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas.county_staffer)
    urls = [
        reverse("service_orders_bench:orders"),
        reverse("service_orders_bench:menu"),
        reverse("service_orders_bench:stats"),
        reverse("service_orders_bench:home"),
        reverse("service_orders_bench:team_calendar", args=[menu.team.pk]) + "?view=month",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx))
        return result

    first = place(personas, menu.talk, [menu.monday])
    services.order_schedule(
        actor=personas.county_staffer, order=first, start=at(menu.monday, 9), expert_ids=[menu.counsellor.pk]
    )
    few = counts()
    for hour, minute in ((10, 30), (14, 0), (15, 30)):
        other = place(personas, menu.talk, [menu.monday])
        services.order_schedule(
            actor=personas.county_staffer,
            order=other,
            start=at(menu.monday, hour, minute),
            expert_ids=[menu.counsellor.pk],
        )
    for _ in range(6):
        place(personas, menu.checkup, [menu.monday])
    assert counts() == few
