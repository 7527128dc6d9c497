"""/api/v1/aid/: the public self-test, a worker's application, the staff flow, errors and scope."""

import datetime as dt

import pytest
import time_machine

from gonghui.aid.models import AidApplication

from .conftest import child_data

pytestmark = pytest.mark.django_db
MON = dt.datetime(2026, 8, 3, 2, tzinfo=dt.UTC)


def test_self_test_is_public_and_shows_the_working(api, dibao):
    r = api().post(
        "aid/self-test",
        {"region_code": "141125", "household_size": 1, "annual_income": str(760 * 12)},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["category"] == "relative"  # exactly 1× 低保
    assert body["answer"] == "可能符合相对困难帮扶条件"
    assert body["per_capita_monthly"] == "760.00"
    assert any("≥ 低保标准 760.00" in step for step in body["steps"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"region_code": "141125", "household_size": 0, "annual_income": "1"}, "household_size"),
        ({"region_code": "141125", "household_size": 2, "annual_income": "1e9999"}, "annual_income"),
        ({"region_code": "14", "household_size": 2, "annual_income": "1"}, "region_code"),
        ({"region_code": "141125", "household_size": 2}, "annual_income"),
        (
            {
                "region_code": "141125",
                "household_size": 2,
                "annual_income": "100",
                "expense_medical": "1.234",
            },
            "expense_medical",
        ),
    ],
)
def test_self_test_bad_input_names_the_field(api, dibao, payload, field):
    r = api().post("aid/self-test", payload)
    assert r.status_code in (400, 422), r.content
    assert r.json()["field"] == field
    assert r.json()["message"]


def _apply(api, user, programme, **kw):
    data = {k: v for k, v in vars(child_data(**kw)).items() if v is not None}
    return api(user).post(f"aid/programmes/{programme.pk}/applications", data)


@time_machine.travel(MON)
def test_worker_applies_and_follows_the_status(api, personas, jinqiu):
    r = _apply(api, personas.worker, jinqiu)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["beneficiary_name_masked"] == "王*雨"
    assert body["status_text"] == "已提交，等待工会审核材料"
    assert "录取通知书" in body["missing_documents"]
    mine = api(personas.worker).get("aid/me/applications").json()
    assert [a["number"] for a in mine] == [body["number"]]
    dup = _apply(api, personas.worker, jinqiu)
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_need"


def test_apply_requires_sign_in(api, personas, jinqiu):
    assert _apply(api, None, jinqiu).status_code in (401, 403)
    assert not AidApplication.objects.exists()


@time_machine.travel(MON)
def test_staff_flow_over_the_api(api, personas, jinqiu):
    app_id = _apply(api, personas.worker, jinqiu).json()["id"]
    staff = api(personas.county_staffer)
    r = staff.post(f"aid/applications/{app_id}/check", {"complete": True})
    assert r.status_code == 400 and r.json()["code"] == "documents_missing"
    from gonghui.aid.models import AidDocument

    for kind in ("admission", "id_card", "household", "hardship_proof"):
        AidDocument.objects.create(
            application_id=app_id,
            org_path=jinqiu.org_path,
            kind=kind,
            original_name="a.png",
            content_type="image/png",
            size=1,
            content="AA==",
        )
    assert staff.post(f"aid/applications/{app_id}/check", {"complete": True}).status_code == 200
    r = staff.post(
        f"aid/applications/{app_id}/visit",
        {"visited_on": "2026-08-03", "visitors": "赵县干", "findings": "家中老人卧床，孩子考上大学。"},
    )
    assert r.json()["status"] == "visited"
    over = staff.post(f"aid/applications/{app_id}/approve", {"reason": "困难属实", "amount": "4000.01"})
    assert over.status_code == 400 and over.json()["field"] == "amount"
    assert (
        staff.post(f"aid/applications/{app_id}/approve", {"reason": "困难属实"}).json()["status"]
        == "approved"
    )
    notice = staff.post(f"aid/programmes/{jinqiu.pk}/notices", {})
    assert notice.status_code == 201 and notice.json()["ends_on"] == "2026-08-07"
    early = staff.post(f"aid/programmes/{jinqiu.pk}/batches")
    assert early.status_code == 409 and early.json()["code"] == "nothing_payable"
    with time_machine.travel(dt.datetime(2026, 8, 10, 2, tzinfo=dt.UTC)):
        staff = api(personas.county_staffer)  # a token lives 12 hours
        batch = staff.post(f"aid/programmes/{jinqiu.pk}/batches")
        assert batch.status_code == 201 and batch.json()["total"] == "4000.00"
        xlsx = staff.get(f"aid/batches/{batch.json()['id']}/xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        paid = staff.post(f"aid/batches/{batch.json()['id']}/paid", {})
        assert paid.json()["status"] == "paid"
        mine = api(personas.worker).get(f"aid/me/applications/{app_id}").json()
        assert mine["status_text"] == "已发放"
        report = staff.get("aid/reports", {"year": 2026}).json()
        assert report["cumulative"]["students"] == 1


@time_machine.travel(MON)
def test_sibling_staff_get_404_over_the_api_and_nothing_changes(api, personas, jinqiu):
    app_id = _apply(api, personas.worker, jinqiu).json()["id"]
    other = api(personas.sibling_staffer)
    assert other.get(f"aid/applications/{app_id}").status_code == 404
    assert other.post(f"aid/applications/{app_id}/reject", {"reason": "越权操作"}).status_code == 404
    assert other.post(f"aid/programmes/{jinqiu.pk}/notices", {}).status_code == 404
    assert other.get("aid/applications").json() == []
    assert (
        other.post(
            "aid/programmes",
            {
                "org_id": personas.tree.county.pk,
                "kind": "jinqiu",
                "name": "越权项目",
                "year": 2026,
                "budget": "1",
                "fund_source": "x",
            },
        ).status_code
        == 404
    )
    assert AidApplication.objects.get().status == "submitted"


@time_machine.travel(MON)
def test_hardship_file_over_the_api(api, personas, dibao):
    from gonghui.testing.factories import make_id

    staff = api(personas.county_staffer)
    r = staff.post(
        "aid/files",
        {
            "org_id": personas.tree.county.pk,
            "head_name": "郝师傅",
            "head_id_number": make_id(dt.date(1975, 1, 1)),
            "region_code": "141125",
            "household_size": 2,
            "annual_income": "12000",
            "accident_costs": "20000",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["category"] == "deep" and body["head_name_masked"] == "郝*傅"
    assert any("20,000.00 元 > 家庭年收入的 80%" in step for step in body["steps"])
    assert api(personas.sibling_staffer).get(f"aid/files/{body['id']}").status_code == 404


@time_machine.travel(MON)
def test_donor_sees_totals_never_names(api, personas, jinqiu):
    r = api(personas.county_staffer).post(
        "aid/donations",
        {
            "org_id": personas.tree.county.pk,
            "donor_kind": "company",
            "donor_name": "柳林县某煤业公司",
            "amount": "20000",
            "received_on": "2026-07-20",
            "programme_id": jinqiu.pk,
        },
    )
    assert r.status_code == 201, r.content
    report = api().get(f"aid/donations/report/{r.json()['token']}")
    assert report.status_code == 200
    assert report.json()["programme"]["name"] == jinqiu.name
    assert "王" not in report.content.decode()
