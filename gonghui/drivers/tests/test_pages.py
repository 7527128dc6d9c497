"""The phone page without a browser: every form posts through the services and errors come back in Chinese."""

import pytest

from gonghui.drivers.models import DriverDocument, DriverRequest, Vehicle

pytestmark = pytest.mark.django_db


def test_phone_page_forms(client, personas):
    client.force_login(personas.worker)
    assert client.get("/drivers/").status_code == 200
    client.post("/drivers/do/vehicle/", {"plate": "晋JA1234", "kind": "重型半挂"})
    vehicle = Vehicle.objects.get()
    client.post(
        "/drivers/do/document/",
        {"kind": "vehicle_inspection", "vehicle_id": vehicle.pk, "last_done_on": "2025-02-01"},
    )
    assert DriverDocument.objects.get().vehicle == vehicle
    client.post("/drivers/do/request/", {"kind": "inspection", "plate": "晋JA1234"})
    assert DriverRequest.objects.get().kind == "inspection"
    page = client.get("/drivers/").content.decode()
    assert "晋JA1234" in page and "年审代办" in page and "2026-02-01 到期" in page
    r = client.post("/drivers/do/document/", {"kind": "insurance", "last_done_on": "01/02/2025"}, follow=True)
    assert "日期格式应为 YYYY-MM-DD" in r.content.decode()
    r = client.post("/drivers/do/order/", {"product_id": "x", "quantity": "abc"}, follow=True)
    assert r.status_code == 200 and "数量应在 1 到 100 之间" in r.content.decode()


def test_phone_page_needs_login(client):
    assert client.get("/drivers/").status_code == 302


def test_workbench_overview_scoped(client, personas):
    from gonghui.drivers import services

    services.request_create(actor=personas.worker, kind="inspection", plate="晋JA1234", place="新疆哈密")
    services.hotline_log(
        actor=personas.county_staffer,
        org_id=personas.tree.grassroots.pk,
        caller_phone=personas.worker.phone,
        topic="通行证材料咨询",
    )
    client.force_login(personas.county_staffer)
    page = client.get("/workbench/drivers/requests/").content.decode()
    assert "新疆哈密" in page and "王建军" in page
    page = client.get("/workbench/drivers/hotline/").content.decode()
    assert "通行证材料咨询" in page and "王*军" in page
    assert personas.worker.phone[-8:] not in page  # phone numbers only masked on the page
    client.force_login(personas.sibling_staffer)
    page = (
        client.get("/workbench/drivers/requests/").content.decode()
        + client.get("/workbench/drivers/hotline/").content.decode()
    )
    assert "新疆哈密" not in page and "通行证材料咨询" not in page
