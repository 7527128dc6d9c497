"""The API: the quote gives the claim's own breakdown; staff act only within their subtree (404 outside)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from gonghui.core.models import AuditEvent
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import MutualAidClaim

from .conftest import bill, stay

pytestmark = pytest.mark.django_db

PRODUCT_2026 = {
    "code": "ZGHZ",
    "name": "职工住院医疗互助保障",
    "year": 2026,
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "premium": "60",
    "deductible": "800",
    "bands": [{"lower": "0", "upper": None, "rate": "0.5"}],
    "yearly_cap": "500000",
}


def test_the_quote_gives_the_same_breakdown_as_a_filed_claim(api, personas, enrolment, media):
    claim = services.claim_file(
        actor=personas.worker, data=stay(dt.date(2025, 3, 2), 10, "81000"), files=[bill()]
    )
    response = api().post(
        "mutual-aid/quote", {"product_id": enrolment.product_id, "self_paid": "81000", "days": 10}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["payout"] == "37000.00" and body["year"] == 2025
    assert {k: v for k, v in body.items() if k not in ("product_id", "year")} == claim.breakdown


def test_the_seed_case_quote(api, enrolment):
    body = (
        api()
        .post("mutual-aid/quote", {"product_id": enrolment.product_id, "self_paid": "1250000", "days": 63})
        .json()
    )
    assert body["banded_total"] == "1105550.00" and body["cap_applied"] and body["payout"] == "1000000.00"
    assert [b["share"] for b in body["bands"]] == ["3000.00", "16000.00", "90000.00", "996550.00"]


def test_a_quote_continues_a_year_so_far(api, enrolment):
    body = (
        api()
        .post(
            "mutual-aid/quote",
            {"product_id": enrolment.product_id, "self_paid": "3400", "days": 6, "deductible_used": "600"},
        )
        .json()
    )
    assert body["deductible_taken"] == "400.00" and body["payout"] == "900.00"


def test_bad_quote_input_names_the_field(api, enrolment):
    response = api().post(
        "mutual-aid/quote", {"product_id": enrolment.product_id, "self_paid": "-5", "days": 3}
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "amount_negative",
        "message": "个人自付不能为负数",
        "field": "self_paid",
    }
    assert (
        api().post("mutual-aid/quote", {"product_id": 999999, "self_paid": "5", "days": 3}).status_code == 404
    )


def test_a_member_files_with_photos_over_multipart(api, personas, enrolment, media):
    client = api(personas.worker)
    response = client.client.post(
        "/api/v1/mutual-aid/me/claims",
        {
            "kind": "illness",
            "hospital": "吕梁市人民医院",
            "admitted_on": "2025-03-02",
            "discharged_on": "2025-03-12",
            "total_cost": "120000",
            "insured_part": "39000",
            "photos": [bill()],
        },
        headers=client.headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["self_paid"] == "81000.00" and body["payout"] == "37000.00" and body["days"] == 10
    assert client.get("mutual-aid/me/claims").json()[0]["number"] == body["number"]
    # Another member sees nothing of it.
    assert api(personas.sibling_staffer).get(f"mutual-aid/me/claims/{body['id']}").status_code == 404


def test_staff_review_and_pay_over_the_api_and_tick_the_five_ones(
    api, personas, enrolment, media, sms_outbox
):
    claim = services.claim_file(
        actor=personas.worker, data=stay(dt.date(2025, 3, 2), 10, "81000"), files=[bill()]
    )
    staff = api(personas.county_staffer)
    detail = staff.get(f"mutual-aid/claims/{claim.pk}")
    assert detail.status_code == 200 and detail.json()["member_name_masked"] == "王*军"
    assert AuditEvent.objects.filter(action="mutual_aid.claim_read", object_id=str(claim.pk)).exists()
    assert staff.post(f"mutual-aid/claims/{claim.pk}/approve", {}).json()["status"] == "approved"
    assert staff.post(f"mutual-aid/claims/{claim.pk}/pay").json()["paid_amount"] == "37000.00"
    tick = staff.post(f"mutual-aid/claims/{claim.pk}/follow-ups", {"item": "gift", "note": "米面油一份"})
    assert tick.status_code == 200 and tick.json()["done_by_label"] == "赵县干"
    items = {
        f["item"]: f["done_at"] is not None
        for f in staff.get(f"mutual-aid/claims/{claim.pk}/follow-ups").json()
    }
    assert items == {"sms": True, "call": False, "gift": True, "money": False, "policy": False}


def test_a_sibling_unions_staff_get_404_and_nothing_changes(api, personas, enrolment, media):
    claim = services.claim_file(
        actor=personas.worker, data=stay(dt.date(2025, 3, 2), 10, "81000"), files=[bill()]
    )
    sibling = api(personas.sibling_staffer)
    assert sibling.get(f"mutual-aid/claims/{claim.pk}").status_code == 404
    for path, body in [
        ("approve", {}),
        ("reject", {"reason": "x"}),
        ("withdraw", {"reason": "x"}),
        ("pay", {}),
        ("follow-ups", {"item": "call"}),
    ]:
        assert sibling.post(f"mutual-aid/claims/{claim.pk}/{path}", body).status_code == 404
    assert sibling.get("mutual-aid/claims", {"status": ""}).json() == []
    assert sibling.get("mutual-aid/enrolments").json() == []
    enrol = sibling.post(
        "mutual-aid/enrolments", {"product_id": enrolment.product_id, "member_ids": [personas.member.pk]}
    )
    assert enrol.status_code == 404
    claim.refresh_from_db()
    assert claim.status == MutualAidClaim.Status.SUBMITTED and claim.payout == D("37000.00")
    assert not AuditEvent.objects.filter(
        actor=personas.sibling_staffer, action__startswith="mutual_aid"
    ).exists()


def test_staff_file_for_a_member_of_their_subtree_only(api, personas, enrolment, media):
    payload = {
        "member_id": personas.member.pk,
        "hospital": "柳林县人民医院",
        "admitted_on": "2025-03-02",
        "discharged_on": "2025-03-04",
        "total_cost": "3000",
        "insured_part": "1800",
    }
    assert api(personas.sibling_staffer).post("mutual-aid/claims", payload).status_code == 404
    response = api(personas.grassroots_admin).post("mutual-aid/claims", payload)
    assert response.status_code == 201 and response.json()["channel"] == "union"
    assert response.json()["payout"] == "100.00"  # 200 × 30 % = 60, raised to the minimum


def test_province_creates_next_years_product_and_the_report_counts_it(
    api, personas, province_admin, enrolment, media
):
    response = api(province_admin).post(
        "mutual-aid/products", {**PRODUCT_2026, "org_id": personas.tree.province.pk}
    )
    assert response.status_code == 201, response.content
    refused = api(personas.grassroots_admin).post(
        "mutual-aid/products", {**PRODUCT_2026, "org_id": personas.tree.grassroots.pk, "year": 2027}
    )
    assert refused.status_code == 400 and refused.json()["code"] == "product_org"
    years = [p["year"] for p in api(personas.grassroots_admin).get("mutual-aid/products").json()]
    assert years == [2026, 2025]
    sibling_enrol = api(personas.sibling_staffer).post(
        "mutual-aid/enrolments",
        {"product_id": response.json()["id"], "member_ids": [personas.sibling_member.pk]},
    )
    assert sibling_enrol.status_code == 201

    claim = services.claim_file(
        actor=personas.worker, data=stay(dt.date(2025, 3, 2), 10, "81000"), files=[bill()]
    )
    services.claim_approve(actor=personas.county_staffer, claim=claim)
    services.claim_pay(actor=personas.county_staffer, claim=claim)
    report = api(personas.county_staffer).get("mutual-aid/report").json()
    assert report["per_year"] == [
        {
            "year": 2025,
            "enrolled": 1,
            "donated": 0,
            "members_paid": 1,
            "claims_paid": 1,
            "total": "37000.00",
            "payout_rate": 100.0,
        }
    ]
    assert [b["share"] for b in report["bands"]] == ["3000.00", "16000.00", "18000.00"]
