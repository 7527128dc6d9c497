import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gonghui.cases import services
from gonghui.cases.models import Case

from .conftest import wage_input

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _form(tree, **overrides):
    data = {
        "category": "wages",
        "description": "工地拖欠我三个月工资，老板一直推说工程款没到位。",
        "workplace_region": "141125",
        "workplace_township": str(tree.township.pk),
        "employer_name": "柳林县某建筑劳务有限公司",
        "amount_claimed": "9000",
    }
    data.update(overrides)
    return data


def test_home_tile_links_to_my_cases(personas):
    page = _client(personas.worker).get("/")
    assert reverse("cases:mine") in page.content.decode()


def test_worker_files_on_the_page_with_evidence(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = _client(personas.worker)
    assert "我要维权" in client.get(reverse("cases:new")).content.decode()
    data = _form(personas.tree, attachments=[SimpleUploadedFile("工资条.png", PNG, "image/png")])
    response = client.post(reverse("cases:new"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    page = client.get(response["Location"]).content.decode()
    assert case.number in page and "柳林镇工会" in page and "工资条.png" in page
    attachment = case.attachments.get()
    file_response = client.get(reverse("cases:attachment", args=[case.pk, attachment.pk]))
    assert file_response.status_code == 200 and file_response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "overrides, text",
    [
        ({"amount_claimed": "-9000"}, "金额不能为负数"),
        ({"employer_credit_code": "12345"}, "统一社会信用代码应为18位"),
        (
            {"attachments": [SimpleUploadedFile("a.pdf", b"not a pdf", "application/pdf")]},
            "不是 JPG、PNG、WEBP 图片或 PDF",
        ),
    ],
)
def test_bad_input_on_the_page_keeps_what_was_typed(personas, overrides, text):
    response = _client(personas.worker).post(reverse("cases:new"), _form(personas.tree, **overrides))
    body = response.content.decode()
    assert response.status_code == 422 and text in body
    assert "工地拖欠我三个月工资" in body  # nothing typed is lost
    assert not Case.objects.exists()


def test_collective_claimants_pasted_one_per_line(personas):
    lines = "\n".join(f"工友{i} 1390000{i:04d} 3000" for i in range(12))
    _client(personas.worker).post(
        reverse("cases:new"), _form(personas.tree, amount_claimed="", claimants=lines)
    )
    case = Case.objects.get()
    assert case.claimants.count() == 12 and str(case.amount_claimed) == "36000.00"
    assert case.org == personas.tree.county


def test_staff_enter_a_phone_claim(personas, township_handler):
    client = _client(township_handler)
    data = _form(personas.tree, channel="phone", claimant_name="陈某", claimant_phone="13800138000")
    response = client.post(reverse("cases_bench:new"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and case.channel == "phone" and case.filer is None
    assert case.claimant_phone == "+8613800138000"
    missing = client.post(reverse("cases_bench:new"), {**data, "claimant_phone": ""})
    assert missing.status_code == 422 and "请填写手机号" in missing.content.decode()


def test_workbench_actions_through_the_page(personas, township_handler):
    case = services.case_file(actor=personas.worker, data=wage_input(personas.tree))
    client = _client(township_handler)
    url = reverse("cases_bench:detail", args=[case.pk])
    assert client.get(reverse("cases_bench:inbox") + "?view=todo").content.decode().count(case.number) == 1
    bad = client.post(url, {"action": "resolve", "outcome": "solved", "summary": "已解决了"})
    assert bad.status_code == 422 and "不能办结" in bad.content.decode()
    assert client.post(url, {"action": "accept", "difficulty": "normal"}).status_code == 302
    assert (
        client.post(
            url, {"action": "resolve", "outcome": "solved", "summary": "老板已付清", "amount_recovered": "-1"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            url,
            {"action": "resolve", "outcome": "solved", "summary": "老板已付清", "amount_recovered": "9000"},
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED


def test_stats_page_and_json(personas, township_handler):
    case = services.case_accept(
        actor=township_handler, case=services.case_file(actor=personas.worker, data=wage_input(personas.tree))
    )
    services.case_resolve(
        actor=township_handler, case=case, outcome="solved", summary="已付清", amount_recovered="9000"
    )
    client = _client(personas.county_staffer)
    page = client.get(reverse("cases_bench:stats")).content.decode()
    assert 'id="case-stats"' in page and "cases-stats.js" in page and "<script>" not in page
    data = client.get(reverse("cases_bench:stats_json")).json()
    assert data["total"] == 1 and data["recovered"] == "9000.00" and data["on_time_rate"] == 100.0
    assert data["by_category"][0]["name"] == "欠薪"


# --- API --------------------------------------------------------------------------------------


def _payload(tree, **overrides):
    data = {
        "category": "wages",
        "description": "平台拖欠配送费两个月，站长联系不上。",
        "workplace_region": "141125",
        "employer_name": "某配送站",
        "workplace_township_id": tree.township.pk,
        "amount_claimed": "4200.50",
    }
    data.update(overrides)
    return data


def test_api_worker_flow(personas, township_handler, api):
    worker = api(personas.worker)
    created = worker.post("cases", _payload(personas.tree))
    assert created.status_code == 201, created.json()
    case_id = created.json()["id"]
    staff = api(township_handler)
    assert staff.post(f"cases/{case_id}/accept", {}).json()["status"] == "accepted"
    assert (
        staff.post(f"cases/{case_id}/messages", {"body": "内部：核实中", "internal": True}).status_code == 201
    )
    assert staff.post(f"cases/{case_id}/messages", {"body": "已联系站长"}).status_code == 201
    mine = worker.get(f"cases/mine/{case_id}").json()
    assert [s["kind"] for s in mine["steps"]].count("note") == 0 and mine["steps"][-1]["body"] == "已联系站长"
    resolved = staff.post(
        f"cases/{case_id}/resolve", {"outcome": "solved", "summary": "已付清", "amount_recovered": "4200.50"}
    )
    assert resolved.json()["amount_recovered"] == "4200.50"
    rated = worker.post(f"cases/mine/{case_id}/rating", {"rating": 4, "comment": "挺快的"})
    assert rated.json()["status"] == "rated"


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"amount_claimed": "-1"}, "amount_claimed", "amount_negative"),
        ({"employer_credit_code": "91440000MA4ABCDE1X"}, "employer_credit_code", "credit_checksum"),
        ({"category": "x"}, "category", "category_required"),
    ],
)
def test_api_bad_input_shape(personas, api, overrides, field, code):
    response = api(personas.worker).post("cases", _payload(personas.tree, **overrides))
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["code"] == code


def test_api_attachment_upload_type_checked(personas, api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    worker = api(personas.worker)
    case_id = worker.post("cases", _payload(personas.tree)).json()["id"]
    bad = worker.client.post(
        f"/api/v1/cases/mine/{case_id}/attachments",
        {"files": [SimpleUploadedFile("x.png", b"GIF89a....", "image/png")]},
        headers=worker.headers,
    )
    assert bad.status_code == 400 and bad.json()["field"] == "attachments"
    good = worker.client.post(
        f"/api/v1/cases/mine/{case_id}/attachments",
        {"files": [SimpleUploadedFile("x.png", PNG, "image/png")]},
        headers=worker.headers,
    )
    assert good.status_code == 201


def test_api_illegal_transition_message(personas, township_handler, api):
    case_id = api(personas.worker).post("cases", _payload(personas.tree)).json()["id"]
    response = api(township_handler).post(f"cases/{case_id}/archive", {})
    assert response.status_code == 409 and response.json()["message"] == "工单当前状态为「待受理」，不能归档"


def test_staff_entry_requires_staff(personas, api):
    response = api(personas.worker).post(
        "cases", _payload(personas.tree, channel="phone", claimant_name="某", claimant_phone="13800138000")
    )
    assert response.status_code == 403


def test_inbox_and_detail_query_counts_do_not_grow(personas, township_handler, django_assert_max_num_queries):
    for i in range(25):
        data = wage_input(personas.tree, claimant_name=f"工友{i}", claimant_phone=f"1390000{i:04d}")
        services.case_file(actor=township_handler, channel="phone", data=data)
    client = _client(township_handler)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cases_bench:inbox") + "?view=all").status_code == 200
    case = Case.objects.first()
    with django_assert_max_num_queries(30):
        assert client.get(reverse("cases_bench:detail", args=[case.pk])).status_code == 200
