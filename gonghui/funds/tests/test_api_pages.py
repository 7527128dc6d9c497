"""The API and the workbench pages: the same services, the same scope (a sibling city gets 404, nothing changes)."""

from decimal import Decimal

import pytest
from django.test import Client

from gonghui.funds.models import Budget, FundApplication, Scheme

pytestmark = pytest.mark.django_db

DOCS = [{"name": "试点工会认定文件", "ref": "沈总工〔2021〕12号"}, {"name": "会员名册（系统自动统计）"}]


def staff_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_quote_apply_approve_batch_over_the_api(personas, scheme_factory, api):
    scheme = scheme_factory("SY-SD", budget="5000")
    grassroots, city = api(personas.grassroots_admin), api(personas.city_staffer)
    r = grassroots.post(f"funds/schemes/{scheme.pk}/quote", {"members": 26})
    assert r.status_code == 200, r.json()
    assert r.json()["maximum"] == "2020.00"
    assert r.json()["lines"] == ["会员 26 人，超过 25 人的 1 人：2,000.00 + 1 × 20.00 = 2,020.00 元"]
    r = grassroots.post(
        f"funds/schemes/{scheme.pk}/applications", {"org_id": personas.tree.grassroots.pk, "documents": DOCS}
    )
    assert r.status_code == 201, r.json()
    app_id = r.json()["id"]
    assert r.json()["input_sources"]["members"].startswith("会员名册")
    r = city.post(f"funds/applications/{app_id}/approve", {"amount": "2000.00", "reason": ""})
    assert (r.status_code, r.json()["field"]) == (400, "reason")
    r = city.post(f"funds/applications/{app_id}/approve", {"amount": "2000.00", "reason": "材料齐全"})
    assert r.json()["status"] == "approved"
    r = city.post("funds/batches", {"org_id": personas.tree.city.pk})
    assert r.status_code == 201 and r.json()["total"] == "2000.00"
    batch_id = r.json()["id"]
    export = city.get(f"funds/batches/{batch_id}/export")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    r = city.post(f"funds/batches/{batch_id}/confirm", {"control_total": "2000.00"})
    assert r.json()["status"] == "paid"
    ledger = grassroots.get("funds/ledger").json()
    assert sorted(e["kind"] for e in ledger) == ["commit", "pay"]
    assert grassroots.get("funds/budgets").json() == []  # the city's budget is the city's
    budgets = city.get("funds/budgets").json()
    assert (budgets[0]["paid"], budgets[0]["remaining"]) == ("2000.00", "3000.00")


def test_bad_formula_is_refused_with_the_field(personas, clock, api):
    r = api(personas.city_staffer).post(
        "funds/schemes",
        {
            "org_id": personas.tree.city.pk,
            "code": "LL-1",
            "name": "测试项目",
            "period_start": "2022-01-01",
            "period_end": "2022-12-31",
            "formula": {"type": "cost_share", "rate": "60", "cap": "100000"},
        },
    )
    assert r.status_code == 400
    assert r.json()["code"] == "formula_invalid"
    assert r.json()["field"] == "formula.cost_share.rate"
    assert not Scheme.objects.exists()


def test_sibling_city_gets_404_everywhere_and_nothing_changes(personas, scheme_factory, api):
    scheme = scheme_factory("SY-SD")
    grassroots = api(personas.grassroots_admin)
    app_id = grassroots.post(
        f"funds/schemes/{scheme.pk}/applications", {"org_id": personas.tree.grassroots.pk, "documents": DOCS}
    ).json()["id"]
    sibling = api(personas.sibling_staffer)
    for method, path, body in [
        ("get", f"funds/schemes/{scheme.pk}", None),
        ("post", f"funds/schemes/{scheme.pk}/quote", {"members": 3}),
        (
            "post",
            f"funds/schemes/{scheme.pk}/versions",
            {"change_reason": "x", "formula": {"type": "fixed", "amount": "1"}},
        ),
        ("post", f"funds/schemes/{scheme.pk}/budgets", {"year": 2022, "amount": "1"}),
        ("get", f"funds/applications/{app_id}", None),
        ("post", f"funds/applications/{app_id}/approve", {"amount": "2000", "reason": "同意"}),
        ("post", f"funds/applications/{app_id}/reject", {"reason": "不同意"}),
        ("post", "funds/batches", {"org_id": personas.tree.city.pk}),
    ]:
        r = getattr(sibling, method)(path, body) if body is not None else sibling.get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert r.json()["code"] == "not_found"
    assert FundApplication.objects.get().status == "submitted"
    assert Budget.objects.get().committed == 0
    assert scheme.versions.count() == 1
    client = staff_client(personas.sibling_staffer)
    assert client.get(f"/workbench/funds/schemes/{scheme.pk}/").status_code == 404
    assert client.get(f"/workbench/funds/applications/{app_id}/").status_code == 404
    r = client.post(f"/workbench/funds/applications/{app_id}/review/", {"amount": "2000", "reason": "同意"})
    assert r.status_code == 404
    assert FundApplication.objects.get().status == "submitted"


def test_bench_pages_render_for_payer_and_applicant(personas, scheme_factory):
    scheme = scheme_factory("SY-SD")
    city, grassroots = staff_client(personas.city_staffer), staff_client(personas.grassroots_admin)
    r = grassroots.get(
        f"/workbench/funds/schemes/{scheme.pk}/", {"quote": "1", "org": personas.tree.grassroots.pk}
    )
    assert r.status_code == 200
    assert "会员人数取自会员名册（2022-06-30 在籍）：0 人" in r.content.decode()
    r = grassroots.post(
        f"/workbench/funds/schemes/{scheme.pk}/apply/",
        {"org": personas.tree.grassroots.pk, "has_0": "1", "doc_0": "沈总工〔2021〕12号", "has_1": "1"},
    )
    app = FundApplication.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/applications/{app.pk}/")
    r = city.post(f"/workbench/funds/applications/{app.pk}/review/", {"amount": "2000", "reason": "同意"})
    app.refresh_from_db()
    assert app.approved_amount == Decimal("2000.00")
    for path in ["", "applications/", "batches/", "ledger/", "report/", "contributions/", "schemes/new/"]:
        assert city.get(f"/workbench/funds/{path}").status_code == 200, path
        assert grassroots.get(f"/workbench/funds/{path}").status_code == 200, path
    assert "柳林县总工会" in city.get("/workbench/funds/report/").content.decode()


def test_contribution_split_default_and_provincial_rule(personas, clock, api):
    from gonghui.funds.models import SplitRule

    client = api(personas.grassroots_admin)
    r = client.post(
        "funds/contributions",
        {
            "org_id": personas.tree.grassroots.pk,
            "month": "2022-06-01",
            "payroll": "123456.78",
            "paid": "2000",
        },
    )
    body = r.json()
    assert (body["due"], body["kept"], body["sent_up"]) == ("2469.14", "1481.48", "987.66")
    assert body["arrears"] == "469.14"
    SplitRule.objects.create(
        province_code="14", org_kind="grassroots", kept_rate=Decimal("0.70"), note="山西：基层留成 70%"
    )
    r = client.post(
        "funds/contributions",
        {"org_id": personas.tree.grassroots.pk, "month": "2022-06-15", "payroll": "100000", "paid": "2000"},
    )
    assert (r.json()["kept"], r.json()["sent_up"], r.json()["rule_label"]) == (
        "1400.00",
        "600.00",
        "山西：基层留成 70%",
    )
    # The county above sees the same row (its 上解 side) and the arrears list is empty now.
    county = api(personas.county_staffer).get("funds/contributions").json()
    assert [c["sent_up"] for c in county] == ["600.00"]
    assert api(personas.county_staffer).get("funds/contributions", {"arrears": "true"}).json() == []
    assert api(personas.sibling_staffer).get("funds/contributions").json() == []
    r = client.post(
        "funds/contributions",
        {"org_id": personas.tree.sibling_grassroots.pk, "month": "2022-06-01", "payroll": "1"},
    )
    assert r.status_code == 404


def test_worker_applies_for_a_training_subsidy(personas, scheme_factory, client):
    scheme = scheme_factory("HA-PX")
    client.force_login(personas.worker)
    r = client.get("/funds/")
    assert scheme.name in r.content.decode()
    r = client.get(f"/funds/schemes/{scheme.pk}/", {"level": "technician"})
    assert "3,000.00–4,000.00" in r.content.decode()
    r = client.post(
        f"/funds/schemes/{scheme.pk}/",
        {"level": "technician", "has_0": "1", "doc_0": "证书编号 X1", "has_1": "1"},
    )
    assert r.status_code == 302
    app = FundApplication.objects.get()
    assert (app.applicant_user, app.minimum, app.maximum) == (
        personas.worker,
        Decimal("3000.00"),
        Decimal("4000.00"),
    )
    # A worker of another union does not even find 吕梁's scheme.
    from gonghui.testing.factories import make_member, make_user

    stranger = make_user(name="吴师傅")
    make_member(personas.tree.sibling_grassroots, user=stranger, name="吴师傅")
    client.force_login(stranger)
    assert client.get(f"/funds/schemes/{scheme.pk}/").status_code == 404


def test_application_list_queries_do_not_grow_with_rows(
    personas, scheme_factory, api, django_assert_max_num_queries
):
    from gonghui.orgs.models import Org
    from gonghui.testing.factories import make_org

    from .test_applications import DOCS_SD

    scheme = scheme_factory("SY-SD")
    city = api(personas.city_staffer)
    for i in range(6):
        org = make_org(personas.tree.township, Org.Kind.GRASSROOTS, f"柳林镇第{i}运输工会")
        city.post(f"funds/schemes/{scheme.pk}/applications", {"org_id": org.pk, "documents": DOCS_SD})
    with django_assert_max_num_queries(8):
        rows = city.get("funds/applications").json()
    assert len(rows) == 6


def test_worker_quotes_and_applies_over_the_api(personas, scheme_factory, api):
    scheme = scheme_factory("HA-PX")
    worker = api(personas.worker)
    r = worker.post(f"funds/schemes/{scheme.pk}/quote", {"level": "senior"})
    assert (r.json()["minimum"], r.json()["maximum"]) == ("1600.00", "2000.00")
    r = worker.post(
        f"funds/schemes/{scheme.pk}/applications",
        {"level": "senior", "documents": [{"name": "职业技能等级证书"}, {"name": "培训合格证明"}]},
    )
    assert r.status_code == 201 and r.json()["applicant_name"] == "王建军"
    assert api(personas.sibling_staffer).get(f"funds/schemes/{scheme.pk}").status_code == 404
