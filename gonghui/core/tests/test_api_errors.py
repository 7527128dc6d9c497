"""Bad input to the API: a 4xx with {"code","message","field"} in Chinese, never a 500, nothing lost."""

import re

import pytest

from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Org

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_error(response, status, field=None, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "field"}
    assert CHINESE.search(body["message"]), body
    if field is not None:
        assert body["field"] == field
    if code is not None:
        assert body["code"] == code
    return body


def raw_post(client, path, body, content_type="application/json", method="post"):
    return getattr(client.client, method)(
        f"/api/v1/{path}", data=body, content_type=content_type, headers=client.headers
    )


@pytest.fixture
def county(personas, api):
    return api(personas.county_staffer)


def test_malformed_json(county, personas):
    body = assert_error(raw_post(county, "orgs", '{"parent_id": 1,'), 400, code="json_invalid")
    assert body["message"] == "请求体不是有效的 JSON，请检查格式后重试"


def test_json_that_is_not_an_object(county):
    assert_error(raw_post(county, "orgs", "[1, 2]"), 422)


def test_missing_field_is_named(county, personas):
    body = assert_error(
        county.post("orgs", {"parent_id": personas.tree.county.pk, "kind": "grassroots"}),
        422,
        field="name",
        code="missing",
    )
    assert body["message"] == "name：缺少必填字段"


def test_wrong_type_is_named(county):
    body = assert_error(
        county.post("orgs", {"parent_id": "柳林", "kind": "grassroots", "name": "x"}), 422, field="parent_id"
    )
    assert "应为整数" in body["message"]


def test_wrong_query_parameter_type(county):
    assert_error(county.get("orgs", {"limit": "很多"}), 422, field="limit")


@pytest.mark.parametrize("path", ["orgs", "members", "audit"])
def test_negative_offset_and_silly_limits_are_clamped(personas, api, path):
    client = api(personas.county_auditor if path == "audit" else personas.county_staffer)
    assert client.get(path, {"offset": -1, "limit": -5}).status_code == 200
    assert client.get(path, {"offset": 10**6, "limit": 10**6}).json() == []


def test_oversized_body_is_refused(county, personas):
    huge = '{"name": "' + "工" * (1024 * 1024) + '"}'
    assert len(huge.encode()) > 2 * 1024 * 1024
    assert_error(
        raw_post(county, f"orgs/{personas.tree.county.pk}", huge, method="patch"), 400, code="bad_request"
    )
    personas.tree.county.refresh_from_db()
    assert personas.tree.county.name == "柳林县总工会"


def test_invalid_credit_code_is_named_and_nothing_is_created(county, personas):
    before = Org.objects.count()
    body = assert_error(
        county.post(
            "orgs",
            {
                "parent_id": personas.tree.county.pk,
                "kind": "grassroots",
                "name": "某公司工会",
                "credit_code": "91440300708461136U",
            },
        ),
        400,
        field="credit_code",
        code="credit_checksum",
    )
    assert body["message"] == "统一社会信用代码校验位不正确，请核对后重新输入"
    assert Org.objects.count() == before


def test_invalid_phone_when_assigning_staff(county, personas):
    body = assert_error(
        county.post(f"orgs/{personas.tree.township.pk}/staff", {"phone": "1380013800", "role": "handler"}),
        400,
        field="phone",
    )
    assert "11位" in body["message"]


def test_overlong_staff_title_is_refused_and_creates_no_account(county, personas):
    from gonghui.accounts.models import User

    before = User.objects.count()
    body = assert_error(
        county.post(
            f"orgs/{personas.tree.township.pk}/staff",
            {"phone": "13712345678", "role": "handler", "title": "职" * 41},
        ),
        400,
        field="title",
    )
    assert body["message"] == "职务不能超过40个字"
    assert User.objects.count() == before


def test_invalid_login_phone(api, db):
    assert_error(api().post("auth/login", {"phone": "abc", "password": "x"}), 400, field="phone")


def _snapshot(org):
    org.refresh_from_db()
    return {f.attname: getattr(org, f.attname) for f in Org._meta.concrete_fields}


@pytest.mark.parametrize(
    "patch, field",
    [
        ({"name": "新名称", "credit_code": "91440300708461136U"}, "credit_code"),
        ({"address": "新地址", "region_code": "14112"}, "region_code"),
        ({"chair_name": "新主席", "region_code": "１４１１２５"}, "region_code"),
        ({"address": "新地址", "lat": 116.4, "lng": 39.9}, "lat"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"short_name": "简" * 41}, "short_name"),
        ({"address": "地" * 201}, "address"),
        ({"contact_phone": "1380013800X"}, "contact_phone"),
        ({"contact_phone": "0358-1234567 转 8888 或 8889 或 8890"}, "contact_phone"),
    ],
)
def test_failed_org_update_leaves_the_org_unchanged(county, personas, patch, field):
    org = personas.tree.grassroots
    before = _snapshot(org)
    assert_error(county.patch(f"orgs/{org.pk}", patch), 400, field=field)
    assert _snapshot(org) == before
    assert not AuditEvent.objects.filter(action="org.update").exists()


def test_null_clears_an_optional_text_field(county, personas):
    org = personas.tree.grassroots
    county.patch(f"orgs/{org.pk}", {"address": "柳林县青龙路88号"})
    response = county.patch(f"orgs/{org.pk}", {"address": None, "lat": None})
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert org.address == ""


def test_credit_code_already_used_by_another_union(county, personas):
    code = "81141125MA0K12345"
    from gonghui.core.validators import make_credit_code

    code = make_credit_code(code)
    assert county.patch(f"orgs/{personas.tree.township.pk}", {"credit_code": code}).status_code == 200
    body = assert_error(
        county.patch(f"orgs/{personas.tree.grassroots.pk}", {"credit_code": code}),
        400,
        field="credit_code",
        code="credit_taken",
    )
    assert body["message"] == "该统一社会信用代码已被其他工会使用"


def test_unauthenticated_api_call(api, db):
    body = assert_error(api().get("orgs"), 401, code="unauthorized")
    assert "登录" in body["message"]


def test_invalid_bearer_token(db, client):
    response = client.get("/api/v1/orgs", headers={"Authorization": "Bearer not-a-token"})
    assert_error(response, 401)


def test_garbage_forwarded_for_header_is_not_a_500(county, personas):
    response = county.patch(
        f"orgs/{personas.tree.grassroots.pk}",
        {"address": "柳林县"},
        HTTP_X_FORWARDED_FOR="<script>, 999.1.1.1",
    )
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="org.update").ip == "127.0.0.1"


def test_forwarded_for_is_ignored_without_a_trusted_proxy(county, personas):
    county.patch(f"orgs/{personas.tree.grassroots.pk}", {"address": "柳林县"}, HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert AuditEvent.objects.get(action="org.update").ip == "127.0.0.1"


def test_behind_one_proxy_the_hop_it_appended_is_the_client(county, personas, settings):
    settings.GONGHUI_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the real address last.
    county.patch(
        f"orgs/{personas.tree.grassroots.pk}",
        {"address": "柳林县"},
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
    )
    assert AuditEvent.objects.get(action="org.update").ip == "203.0.113.7"


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("get", "members", {"q": "王\x00"}),
        ("get", "orgs", {"q": "a\x00b"}),
        ("patch", "orgs/{grassroots}", {"name": "预石\x00运输"}),
    ],
)
def test_nul_characters_are_refused_not_a_500(county, personas, method, path, data):
    before = _snapshot(personas.tree.grassroots)
    response = getattr(county, method)(path.format(grassroots=personas.tree.grassroots.pk), data)
    body = assert_error(response, 400, code="nul_char")
    assert "NUL" in body["message"]
    assert _snapshot(personas.tree.grassroots) == before


def test_nul_characters_on_pages(personas, client):
    client.force_login(personas.county_staffer)
    for response in (
        client.get("/workbench/orgs/", {"q": "a\x00b"}),
        client.post("/workbench/members/", {"q": "a\x00b"}),
    ):
        assert response.status_code == 400
        assert "NUL" in response.content.decode()


def test_unknown_api_path_is_a_json_404(county):
    assert_error(county.get("no-such-thing"), 404, code="not_found")


def test_wrong_method_is_a_json_405(county):
    response = county.delete("orgs")
    body = assert_error(response, 405, code="method_not_allowed")
    assert body["message"] == "不支持该请求方法"
    assert "GET" in response["Allow"]


def test_form_encoded_body_is_refused_in_chinese(county):
    assert_error(raw_post(county, "orgs", "name=x", content_type="application/x-www-form-urlencoded"), 400)
