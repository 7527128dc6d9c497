"""Case text is validated with a message naming the field and the limit, never silently cut."""

import pytest

from gonghui.cases import services
from gonghui.cases.models import Case
from gonghui.core.errors import DomainError

from .conftest import wage_input

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "标" * 81),
        ("employer_name", "公" * 121),
        ("workplace_address", "路" * 201),
        ("claimant_name", "名" * 41),
    ],
)
def test_too_long_fields_are_refused_not_cut(personas, field, value):
    with pytest.raises(DomainError) as exc:
        services.case_file(actor=personas.worker, data=wage_input(personas.tree, **{field: value}))
    assert exc.value.code == "text_too_long" and exc.value.field == field
    assert "不能超过" in exc.value.message
    assert not Case.objects.exists()


def test_info_body_has_a_limit(personas):
    case = services.case_file(actor=personas.worker, data=wage_input(personas.tree))
    with pytest.raises(DomainError) as exc:
        services.case_add_info(actor=personas.worker, case=case, body="情" * 5001)
    assert exc.value.field == "body" and exc.value.code == "text_too_long"


def test_api_answers_400_with_the_field(personas, api):
    payload = {
        "category": "wages",
        "description": "公司拖欠三个月工资共计一万二千元，多次讨要未果",
        "employer_name": "公" * 121,
        "workplace_region": "141125",
        "amount_claimed": "12000",
    }
    response = api(personas.worker).post("cases", payload)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "employer_name"
