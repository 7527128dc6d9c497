"""The API and pages: filing and approving through /api/v1/registration/, scope (a sibling gets 404 and
nothing changes), the public verify endpoint and page, and the register counts."""

import pytest

from gonghui.registration.models import Filing

from .conftest import CODE, DOCS, at

pytestmark = pytest.mark.django_db


def _payload(world, **extra):
    return {
        "org_id": world.union.pk,
        "kind": "apply",
        "union_name": world.union.name,
        "credit_code": CODE,
        "legal_rep": "李桂兰",
        "address": "柳林县青龙路 18 号",
        "term_start": "2026-03-01",
        "term_end": "2031-02-28",
        "documents": DOCS["apply"],
        **extra,
    }


def test_file_approve_download_verify_through_the_api(world, api):
    with at(2026, 3, 2):
        r = api(world.filer).post("/api/v1/registration/filings", _payload(world))
        assert r.status_code == 201, r.json()
        filing_id = r.json()["id"]
        assert r.json()["authority_name"] == "柳林县总工会"
        bad = api(world.filer).post(
            "/api/v1/registration/filings", _payload(world, credit_code="81141125MA0Y5T2K10")
        )
        assert bad.status_code in (400, 409)
        r = api(world.approver).post(f"/api/v1/registration/filings/{filing_id}/approve")
        assert r.status_code == 200 and r.json()["status"] == "approved"
        number = r.json()["certificate_number"]
        pdf = api(world.filer).get(f"/api/v1/registration/certificates/{number}/pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        body = api().get(f"/api/v1/registration/certificates/verify/{number}").json()
    assert body["status"] == "valid" and body["union_name"] == world.union.name


def test_credit_code_error_shape(world, api):
    with at(2026, 3, 2):
        r = api(world.filer).post("/api/v1/registration/filings", _payload(world, credit_code="8114"))
    assert r.status_code == 400
    assert r.json()["code"] == "credit_length" and r.json()["field"] == "credit_code"


def test_sibling_staff_get_404_and_nothing_changes(world, api, client):
    with at(2026, 3, 2):
        filing = world.apply()
        sibling = api(world.p.sibling_staffer)
        assert sibling.get(f"/api/v1/registration/filings/{filing.pk}").status_code == 404
        assert sibling.post(f"/api/v1/registration/filings/{filing.pk}/approve").status_code == 404
        r = sibling.post(f"/api/v1/registration/filings/{filing.pk}/return", {"items": ["x"]})
        assert r.status_code == 404
        assert sibling.post("/api/v1/registration/filings", _payload(world)).status_code == 404
        assert sibling.get("/api/v1/registration/filings").json() == []
        client.force_login(world.p.sibling_staffer)
        assert client.get(f"/workbench/registration/{filing.pk}/").status_code == 404
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and Filing.objects.count() == 1


def test_sibling_cannot_download_the_certificate(world, api):
    cert = world.registered()
    assert (
        api(world.p.sibling_staffer).get(f"/api/v1/registration/certificates/{cert.number}/pdf").status_code
        == 404
    )


def test_public_verify_page_and_register(world, client):
    cert = world.registered()
    with at(2026, 3, 3):
        page = client.get(f"/registration/verify/{cert.number}/")
        assert page.status_code == 200 and "证书状态：有效" in page.content.decode()
        assert "未找到该证书" in client.get("/registration/verify/000/").content.decode()
        client.force_login(world.approver)
        html = client.get("/workbench/registration/register/").content.decode()
    assert '已登记 <strong class="ok">1</strong>' in html and cert.number in html


def test_register_export_lists_registered_and_unregistered_in_scope(world, client):
    import io

    from openpyxl import load_workbook

    cert = world.registered()
    client.force_login(world.approver)
    response = client.get("/workbench/registration/register/export.xlsx")
    assert response.status_code == 200
    rows = list(
        load_workbook(
            io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
        ).active.values
    )
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name[world.union.name][2] == "已登记" and by_name[world.union.name][4] == cert.number
    assert world.p.tree.sibling_grassroots.name not in by_name
