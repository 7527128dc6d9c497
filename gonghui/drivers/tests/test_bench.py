"""The 司机服务 workbench (every staff action on a page), the published hotline number, hotline → service order,
encrypted photos and the audited hotline log. Each page and post is also tried by a sibling city's staffer:
404, and nothing changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from gonghui.cases.models import Case
from gonghui.core.models import AuditEvent, Notification
from gonghui.drivers import services
from gonghui.drivers.models import (
    DriverDocument,
    DriverPhoto,
    DriverRequest,
    HotlineCall,
    Product,
    PurchaseOrder,
    RequestStep,
    UnionHotline,
)
from gonghui.service_orders import services as so_services
from gonghui.service_orders.models import ServiceOrder
from gonghui.testing.factories import make_user

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 7, 6, 9, 0, tzinfo=TZ)  # no holiday in the weeks after
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(200))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MONDAY, tick=True):
        yield


def _other(personas):
    """A member driver in the sibling city, with an account."""
    member = personas.sibling_member
    if member.user_id is None:
        member.user = make_user(name="吴师傅")
        member.save(update_fields=["user"])
    return member.user


def _snapshot():
    return (
        list(DriverRequest.objects.values_list("pk", "status", "assignee", "case_id")),
        RequestStep.objects.count(),
        list(HotlineCall.objects.values_list("pk", "promise_done", "case_id", "service_order_id")),
        list(Product.objects.values_list("pk", "name", "purchase_price", "stock", "is_active")),
        list(PurchaseOrder.objects.values_list("pk", "status")),
        list(UnionHotline.objects.values_list("org_id", "number")),
        Case.objects.count(),
        ServiceOrder.objects.count(),
        DriverPhoto.objects.count(),
    )


def _request(personas):
    return services.request_create(
        actor=personas.worker,
        kind="accident",
        plate="晋JA1234",
        place="河北省石家庄市G4",
        description="对方逃逸",
    )


def _call(personas, **extra):
    return services.hotline_log(
        actor=personas.county_staffer,
        org_id=personas.tree.grassroots.pk,
        caller_phone=personas.worker.phone,
        topic="年审材料怎么准备",
        **extra,
    )


def _tyre(personas, stock=10):
    return services.product_create(
        actor=personas.county_staffer,
        org_id=personas.tree.county.pk,
        name="载重轮胎 12R22.5",
        purchase_price="1580",
        market_price="1690",
        stock=stock,
        supplier="山东某轮胎厂",
    )


def test_every_page_opens_for_staff(client, personas):
    req, call, tyre = _request(personas), _call(personas), _tyre(personas)
    client.force_login(personas.county_staffer)
    for url in [
        "/workbench/drivers/",
        "/workbench/drivers/?year=2025",
        "/workbench/drivers/requests/",
        "/workbench/drivers/requests/?status=all&kind=accident",
        f"/workbench/drivers/requests/{req.pk}/",
        "/workbench/drivers/hotline/",
        f"/workbench/drivers/hotline/{call.pk}/",
        "/workbench/drivers/products/",
        f"/workbench/drivers/products/{tyre.pk}/",
        "/workbench/drivers/orders/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/workbench/drivers/?year=0").status_code == 400  # named, never a 500


def test_sibling_staff_get_404_and_nothing_changes(client, personas):
    req, call, tyre = _request(personas), _call(personas), _tyre(personas)
    order = services.order_place(actor=personas.worker, product_id=tyre.pk, quantity=2)
    before = _snapshot()
    client.force_login(personas.sibling_staffer)
    for url in [
        f"/workbench/drivers/requests/{req.pk}/",
        f"/workbench/drivers/hotline/{call.pk}/",
        f"/workbench/drivers/products/{tyre.pk}/",
        f"/workbench/drivers/requests/{2**70}/",
    ]:
        assert client.get(url).status_code == 404, url
    posts = [
        (f"/workbench/drivers/requests/{req.pk}/assign/", {"assignee_kind": "lawyer", "partner": "某律所"}),
        (f"/workbench/drivers/requests/{req.pk}/progress/", {"status": "done"}),
        (f"/workbench/drivers/requests/{req.pk}/escalate/", {}),
        (f"/workbench/drivers/hotline/{call.pk}/request/", {"kind": "inspection"}),
        (f"/workbench/drivers/hotline/{call.pk}/case/", {"category": "legal"}),
        (f"/workbench/drivers/hotline/{call.pk}/done/", {}),
        (f"/workbench/drivers/hotline/{call.pk}/service-order/", {"item_id": "1", "org_id": "1"}),
        (
            f"/workbench/drivers/products/{tyre.pk}/",
            {"name": "x", "purchase_price": "1", "market_price": "2"},
        ),
        ("/workbench/drivers/hotline/number/", {"org_id": personas.tree.grassroots.pk, "number": "400-1"}),
        (
            "/workbench/drivers/hotline/log/",
            {"org_id": personas.tree.grassroots.pk, "caller_phone": "13800000009", "topic": "x"},
        ),
        (
            "/workbench/drivers/products/new/",
            {
                "org_id": personas.tree.county.pk,
                "name": "x",
                "purchase_price": "1",
                "market_price": "2",
                "stock": "1",
            },
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    # A code from another union is no order of theirs: refused on the form, the order stays put.
    r = client.post("/workbench/drivers/orders/pickup/", {"pickup_code": order.pickup_code})
    assert r.status_code == 422 and "提货码无效" in r.content.decode()
    # Their lists do not show our records.
    for url in [
        "/workbench/drivers/requests/?status=all",
        "/workbench/drivers/hotline/",
        "/workbench/drivers/products/",
        "/workbench/drivers/orders/",
    ]:
        page = client.get(url).content.decode()
        assert (
            "河北省石家庄市G4" not in page and "年审材料怎么准备" not in page and "山东某轮胎厂" not in page
        ), url
    assert _snapshot() == before


def test_queue_assign_staff_or_partner_status_timeline_and_escalate(client, personas):
    req = _request(personas)
    client.force_login(personas.county_staffer)
    page = client.get("/workbench/drivers/requests/").content.decode()
    assert f"/workbench/drivers/requests/{req.pk}/" in page and "事故协助" in page
    # Staff must be of the request's union or above: the sibling's staffer is refused on the form.
    r = client.post(
        f"/workbench/drivers/requests/{req.pk}/assign/",
        {"assignee_kind": "staff", "staff_user_id": personas.sibling_staffer.pk},
    )
    assert r.status_code == 422 and "请从本会及上级工会的工作人员中选择承办人" in r.content.decode()
    r = client.post(
        f"/workbench/drivers/requests/{req.pk}/assign/",
        {"assignee_kind": "staff", "staff_user_id": personas.city_staffer.pk},
    )
    assert r.status_code == 302
    req.refresh_from_db()
    assert (req.assignee_user, req.status) == (personas.city_staffer, "accepted")
    assert Notification.objects.filter(user=personas.city_staffer, title__contains="新指派").exists()
    r = client.post(
        f"/workbench/drivers/requests/{req.pk}/assign/", {"assignee_kind": "lawyer", "partner": ""}
    )
    assert r.status_code == 422 and "请填写合作律师或机构名称" in r.content.decode()
    client.post(
        f"/workbench/drivers/requests/{req.pk}/assign/",
        {"assignee_kind": "lawyer", "partner": "山西某律师事务所 张律师"},
    )
    client.post(
        f"/workbench/drivers/requests/{req.pk}/progress/", {"status": "accepted", "note": "律师已联系交警"}
    )
    page = client.get(f"/workbench/drivers/requests/{req.pk}/").content.decode()
    for text in ["指派给工会工作人员：钱市干", "指派给合作律师：山西某律师事务所 张律师", "律师已联系交警"]:
        assert text in page
    # The driver sees the same timeline on the phone.
    client.force_login(personas.worker)
    assert "指派给合作律师：山西某律师事务所 张律师" in client.get("/drivers/").content.decode()
    client.force_login(personas.county_staffer)
    r = client.post(f"/workbench/drivers/requests/{req.pk}/escalate/")
    assert r.status_code == 302
    req.refresh_from_db()
    case = Case.objects.get(pk=req.case_id)
    assert "律师已联系交警" in case.description and "对方逃逸" in case.description
    r = client.post(f"/workbench/drivers/requests/{req.pk}/progress/", {"status": "done"})
    assert r.status_code == 422 and "该申请已办结或已转诉求" in r.content.decode()


def test_hotline_log_masked_audited_and_yesterdays_promises_highlighted(client, personas):
    with time_machine.travel(MONDAY - dt.timedelta(days=3), tick=False):  # Friday
        client.force_login(personas.county_staffer)
        r = client.post(
            "/workbench/drivers/hotline/log/",
            {
                "org_id": personas.tree.grassroots.pk,
                "caller_phone": personas.worker.phone[-11:],
                "topic": "通行证材料咨询",
                "promise": "明天把材料清单发到会员消息",
            },
        )
    assert r.status_code == 302
    call = HotlineCall.objects.get()
    assert call.caller_user == personas.worker and call.promise_due == dt.date(2026, 7, 6)
    # A bad post keeps what was typed and names the field.
    client.force_login(personas.county_staffer)  # the staff session's idle limit passed over the weekend
    r = client.post(
        "/workbench/drivers/hotline/log/",
        {"org_id": personas.tree.grassroots.pk, "caller_phone": "123", "topic": "继续咨询"},
    )
    body = r.content.decode()
    assert r.status_code == 422 and 'value="继续咨询"' in body and 'id="err-caller_phone"' in body
    reads_before = AuditEvent.objects.filter(action="drivers.hotline_log_read").count()
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):  # Tuesday: Monday's promise is late
        client.force_login(personas.county_staffer)
        page = client.get("/workbench/drivers/hotline/").content.decode()
    promises = page.split('id="promises"')[1].split("</section>")[0]
    assert "通行证材料咨询" in promises and "pill-late" in promises
    assert (
        personas.worker.phone[-11:] not in page and personas.worker.phone[-4:] in page
    )  # masked 138****0001
    assert "王建军" not in page and "王*军" in page
    assert AuditEvent.objects.filter(action="drivers.hotline_log_read").count() == reads_before + 1
    read = AuditEvent.objects.filter(action="drivers.hotline_log_read").latest("pk")
    assert read.org == personas.tree.county and read.actor == personas.county_staffer
    client.post(f"/workbench/drivers/hotline/{call.pk}/done/")
    call.refresh_from_db()
    assert call.promise_done
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        client.force_login(personas.county_staffer)
        page = client.get("/workbench/drivers/hotline/").content.decode()
    assert "没有逾期未兑现的承诺" in page


def test_hotline_api_read_is_audited_and_masked(personas, api):
    _call(personas)
    r = api(personas.county_staffer).get("drivers/hotline")
    assert r.status_code == 200
    [row] = r.json()
    assert row["caller_name"] == "王*军" and "*" in row["caller_phone_masked"]
    event = AuditEvent.objects.get(action="drivers.hotline_log_read")
    assert event.org == personas.tree.county and event.detail["source"] == "api"
    assert api(personas.sibling_staffer).get("drivers/hotline").json() == []


def test_hotline_call_to_request_then_no_second_conversion(client, personas):
    call = _call(personas)
    client.force_login(personas.county_staffer)
    r = client.post(f"/workbench/drivers/hotline/{call.pk}/request/", {"kind": "inspection"})
    req = DriverRequest.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/requests/{req.pk}/")
    assert (req.requester, req.hotline_call, req.description) == (personas.worker, call, "年审材料怎么准备")
    r = client.post(f"/workbench/drivers/hotline/{call.pk}/case/", {"category": "legal"})
    assert r.status_code == 422 and "已转为申请、诉求或服务点单" in r.content.decode()
    assert Case.objects.count() == 0


def test_hotline_call_to_case_on_the_page(client, personas):
    call = _call(personas)
    client.force_login(personas.county_staffer)
    client.post(
        f"/workbench/drivers/hotline/{call.pk}/case/", {"category": "injury", "description": "路上被追尾"}
    )
    call.refresh_from_db()
    case = Case.objects.get(pk=call.case_id)
    assert case.category == "injury" and "路上被追尾" in case.description
    assert (
        f"/workbench/cases/{case.pk}/"
        in client.get(f"/workbench/drivers/hotline/{call.pk}/").content.decode()
    )


def _lecture(personas):
    staff, county = personas.county_staffer, personas.tree.county
    team = so_services.team_create(actor=staff, org=county, name="柳林县总工会专家服务团")
    lawyer = so_services.expert_create(
        actor=staff, org=county, team=team, name="王律师", kind="lawyer", skills="劳动法律讲座"
    )
    so_services.availability_set(
        actor=staff, expert=lawyer, hours=[(d, dt.time(9), dt.time(17)) for d in range(5)]
    )
    return so_services.item_create(
        actor=staff,
        org=county,
        category="legal",
        name="道路运输法律讲座",
        team=team,
        required_skill="劳动法律讲座",
        experts_needed=1,
        duration_minutes=90,
        min_headcount=10,
        max_headcount=80,
        mode="onsite",
        lead_days=3,
    )


def test_hotline_call_to_service_order_in_one_step(client, personas):
    item = _lecture(personas)
    call = _call(personas, caller_name="王建军")
    client.force_login(personas.county_staffer)
    page = client.get(f"/workbench/drivers/hotline/{call.pk}/").content.decode()
    assert "道路运输法律讲座" in page and "王*军" in page and "王建军" not in page
    read = AuditEvent.objects.filter(action="drivers.hotline_call_read").latest("pk")
    assert read.org == personas.tree.grassroots and read.actor == personas.county_staffer
    data = {
        "item_id": item.pk,
        "org_id": personas.tree.grassroots.pk,
        "preferred_date1": "2026-07-06",  # today: too early, the service_orders rule says so
        "headcount": "30",
        "address": "预石运输公司三楼会议室",
    }
    r = client.post(f"/workbench/drivers/hotline/{call.pk}/service-order/", data)
    assert r.status_code == 422 and 'id="err-preferred_date1"' in r.content.decode()
    assert ServiceOrder.objects.count() == 0
    data["preferred_date1"] = "2026-07-14"
    r = client.post(f"/workbench/drivers/hotline/{call.pk}/service-order/", data)
    assert r.status_code == 302
    order = ServiceOrder.objects.get()
    call.refresh_from_db()
    assert call.service_order_id == order.pk and call.promise_done
    assert (order.channel, order.org, order.contact_name) == ("phone", personas.tree.grassroots, "王建军")
    assert order.contact_phone == personas.worker.phone and "年审材料怎么准备" in order.needs


def test_hotline_to_service_order_api(personas, api):
    item = _lecture(personas)
    call = _call(personas)
    payload = {
        "item_id": item.pk,
        "org_id": personas.tree.grassroots.pk,
        "preferred_dates": ["2026-07-14"],
        "headcount": 20,
        "address": "车队会议室",
    }
    assert (
        api(personas.sibling_staffer).post(f"drivers/hotline/{call.pk}/service-order", payload).status_code
        == 404
    )
    r = api(personas.county_staffer).post(f"drivers/hotline/{call.pk}/service-order", payload)
    assert r.status_code == 201, r.content
    assert r.json()["service_order_id"] == ServiceOrder.objects.get().pk


def test_published_hotline_number_reaches_the_members_phone(client, personas):
    client.force_login(personas.county_staffer)
    r = client.post(
        "/workbench/drivers/hotline/number/", {"org_id": personas.tree.county.pk, "number": "热线"}
    )
    assert r.status_code == 422 and "热线号码只能含数字" in r.content.decode()
    client.post(
        "/workbench/drivers/hotline/number/",
        {"org_id": personas.tree.county.pk, "number": "400-838-5115", "hours": "24 小时"},
    )
    client.force_login(personas.worker)
    page = client.get("/drivers/").content.decode()
    assert "司机服务热线 400-838-5115" in page and 'href="tel:4008385115"' in page
    # The nearest union wins: the grassroots union publishes its own.
    services.hotline_number_set(
        actor=personas.county_staffer, org_id=personas.tree.grassroots.pk, number="0358-6021234"
    )
    assert "司机服务热线 0358-6021234" in client.get("/drivers/").content.decode()
    # A member of another city sees neither.
    client.force_login(_other(personas))
    assert "司机服务热线" not in client.get("/drivers/").content.decode()


def test_products_list_create_edit_and_stock_by_delta(client, personas):
    client.force_login(personas.county_staffer)
    r = client.post(
        "/workbench/drivers/products/new/",
        {
            "org_id": personas.tree.county.pk,
            "name": "机油滤清器",
            "purchase_price": "55",
            "market_price": "38",
            "stock": "10",
        },
    )
    assert (
        r.status_code == 422
        and "市场价不应低于会员采购价" in r.content.decode()
        and 'value="机油滤清器"' in r.content.decode()
    )
    client.post(
        "/workbench/drivers/products/new/",
        {
            "org_id": personas.tree.county.pk,
            "name": "机油滤清器",
            "purchase_price": "38",
            "market_price": "55",
            "stock": "10",
            "supplier": "河北某滤清器厂",
            "quality_note": "每月更换",
        },
    )
    product = Product.objects.get()
    services.order_place(actor=personas.worker, product_id=product.pk, quantity=3)  # a sale meanwhile
    edit = {
        "name": "机油滤清器",
        "purchase_price": "36",
        "market_price": "55",
        "supplier": "河北某滤清器厂",
        "is_active": "on",
    }
    r = client.post(f"/workbench/drivers/products/{product.pk}/", {**edit, "stock_add": "-8"})
    assert r.status_code == 422 and "减少的数量超过现有库存" in r.content.decode()
    product.refresh_from_db()
    assert (product.stock, product.purchase_price) == (7, 38)  # nothing half-saved
    r = client.post(f"/workbench/drivers/products/{product.pk}/", {**edit, "stock_add": "20"})
    assert r.status_code == 302
    product.refresh_from_db()
    assert (product.stock, str(product.purchase_price)) == (27, "36.00")
    assert "19.00" in client.get("/workbench/drivers/products/").content.decode()  # saving per item


def test_supplier_orders_pickup_by_code_and_savings_total(client, personas):
    tyre = _tyre(personas)
    order = services.order_place(actor=personas.worker, product_id=tyre.pk, quantity=4)
    client.force_login(personas.county_staffer)
    page = client.get("/workbench/drivers/orders/").content.decode()
    assert "山东某轮胎厂" in page and order.pickup_code not in page  # the code is the driver's proof
    r = client.post("/workbench/drivers/orders/pickup/", {"pickup_code": "12ab"})
    assert r.status_code == 422 and "提货码是 8 位数字" in r.content.decode()
    r = client.post("/workbench/drivers/orders/pickup/", {"pickup_code": order.pickup_code})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "picked_up"
    r = client.post("/workbench/drivers/orders/pickup/", {"pickup_code": order.pickup_code})
    assert r.status_code == 422 and "该订单已提货或已取消" in r.content.decode()
    assert "440.00" in client.get("/workbench/drivers/").content.decode()


def test_photos_encrypted_owner_only_never_on_the_due_list(client, personas):
    client.force_login(personas.worker)
    client.post("/drivers/do/vehicle/", {"plate": "晋JA1234"})
    doc = services.document_add(
        actor=personas.worker,
        kind="vehicle_inspection",
        last_done_on=dt.date(2025, 7, 20),
        share_with_union=True,
    )
    r = client.post(
        "/drivers/do/photo/",
        {"target": f"document-{doc.pk}", "photo": SimpleUploadedFile("x.txt", b"hello")},
        follow=True,
    )
    assert "不是 JPG、PNG、WEBP 图片或 PDF 文件" in r.content.decode()
    client.post(
        "/drivers/do/photo/",
        {"target": f"document-{doc.pk}", "photo": SimpleUploadedFile("licence.png", PNG)},
    )
    photo = DriverPhoto.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM drivers_driverphoto WHERE id = %s", [photo.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("g1$") and "iVBOR" not in raw  # encrypted, not base64 PNG in clear
    r = client.get(f"/drivers/photo/{photo.pk}/")
    assert r.status_code == 200 and r.content == PNG and r["Content-Type"] == "image/png"
    assert f"/drivers/photo/{photo.pk}/" in client.get("/drivers/").content.decode()
    # Nobody else: another member, the union staff who see the due list.
    for other in (_other(personas), personas.county_staffer):
        client.force_login(other)
        assert client.get(f"/drivers/photo/{photo.pk}/").status_code == 404
    client.force_login(personas.county_staffer)
    due = client.get("/workbench/drivers/").content.decode()
    assert "行驶证年审" in due and "/drivers/photo/" not in due
    assert "photo" not in str(client.get("/api/v1/drivers/due-this-month").content)
    # Another member cannot attach a photo to my document.
    client.force_login(_other(personas))
    r = client.post(
        "/drivers/do/photo/", {"target": f"document-{doc.pk}", "photo": SimpleUploadedFile("a.png", PNG)}
    )
    assert r.status_code == 404 and DriverPhoto.objects.count() == 1
    assert client.post("/drivers/do/photo-delete/", {"photo_id": photo.pk}).status_code == 404
    client.force_login(personas.worker)
    client.post("/drivers/do/photo-delete/", {"photo_id": photo.pk})
    assert DriverPhoto.objects.count() == 0 and DriverDocument.objects.count() == 1


def _upload(api, user, url):
    c = api(user)
    return c.client.post(f"/api/v1/{url}", {"photo": SimpleUploadedFile("p.png", PNG)}, headers=c.headers)


def test_photo_api_owner_only(personas, api):
    doc = services.document_add(actor=personas.worker, kind="insurance", last_done_on=dt.date(2026, 1, 5))
    r = _upload(api, personas.worker, f"drivers/documents/{doc.pk}/photos")
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert api(personas.worker).get(f"drivers/photos/{pid}").content == PNG
    assert api(personas.county_staffer).get(f"drivers/photos/{pid}").status_code == 404
    assert _upload(api, _other(personas), f"drivers/documents/{doc.pk}/photos").status_code == 404
    assert api(personas.county_staffer).delete(f"drivers/photos/{pid}").status_code == 404
    assert api(personas.worker).delete(f"drivers/photos/{pid}").status_code == 204
    assert DriverPhoto.objects.count() == 0
