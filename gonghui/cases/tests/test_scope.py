"""Confidentiality: only the handling chain, the unions above it, auditors and the assigned lawyer
find a case. A sibling union, and a union below the handler (the employer's own union), get 404 on
every page and endpoint, and nothing changes."""

import pytest
from django.test import Client
from django.urls import reverse

from gonghui.cases import services
from gonghui.cases.models import Case
from gonghui.core.models import AuditEvent

from .conftest import wage_input


@pytest.fixture
def collective(personas):
    """Handled by the county (collective), city supervising; the grassroots union sits below the county."""
    data = wage_input(
        personas.tree,
        amount_claimed=None,
        employer_name="山西吕梁柳林县预石运输有限责任公司",
        claimants=[services.ClaimantInput(f"司机{i}", "", "8000") for i in range(10)],
    )
    return services.case_file(actor=personas.worker, data=data)


def _login(user):
    client = Client()
    client.force_login(user)
    return client


PAGE_GETS = ["cases_bench:detail"]
POST_ACTIONS = [
    {"action": "accept"},
    {"action": "message", "body": "你好"},
    {"action": "note", "body": "内部"},
    {"action": "transfer", "org": "1", "reason": "x"},
    {"action": "resolve", "outcome": "solved", "summary": "已经解决"},
    {"action": "archive"},
]
API_CALLS = [
    ("get", "cases/{id}", None),
    ("post", "cases/{id}/accept", {}),
    ("post", "cases/{id}/assign", {"handler_id": 1}),
    ("post", "cases/{id}/transfer", {"org_id": 1, "reason": "x"}),
    ("post", "cases/{id}/messages", {"body": "x"}),
    ("post", "cases/{id}/joint", {"department": "住建局", "body": "x"}),
    ("post", "cases/{id}/pause", {"body": "x"}),
    ("post", "cases/{id}/resume", {}),
    ("post", "cases/{id}/claimants/1/payment", {"amount_paid": "1"}),
    ("post", "cases/{id}/resolve", {"outcome": "solved", "summary": "已经解决"}),
    ("post", "cases/{id}/archive", {}),
    ("post", "cases/{id}/merge", {"duplicate_id": 1}),
    ("post", "cases/{id}/lawyer", {"lawyer_id": 1}),
    ("get", "cases/mine/{id}", None),
    ("post", "cases/mine/{id}/info", {"body": "x"}),
    ("post", "cases/mine/{id}/rating", {"rating": 5}),
]


@pytest.mark.parametrize("who", ["sibling_staffer", "grassroots_admin", "sibling_member_user"])
def test_outsiders_get_404_everywhere_and_nothing_changes(personas, collective, who, api):
    if who == "sibling_member_user":
        from gonghui.testing.factories import make_user

        user = make_user(name="吴师傅")
    else:
        user = getattr(personas, who)
    before = (Case.objects.get(pk=collective.pk).status, collective.steps.count())
    client = _login(user)
    for name in PAGE_GETS:
        assert client.get(reverse(name, args=[collective.pk])).status_code in (404, 403)
    for data in POST_ACTIONS:
        response = client.post(reverse("cases_bench:detail", args=[collective.pk]), data)
        assert response.status_code in (404, 403), data
    attachment_url = reverse("cases_bench:attachment", args=[collective.pk, 1])
    assert client.get(attachment_url).status_code in (404, 403)
    assert client.get(reverse("cases:detail", args=[collective.pk])).status_code == 404
    assert (
        client.post(
            reverse("cases:detail", args=[collective.pk]), {"action": "info", "body": "x"}
        ).status_code
        == 404
    )
    assert client.get(reverse("cases:attachment", args=[collective.pk, 1])).status_code == 404
    caller = api(user)
    for method, path, data in API_CALLS:
        response = getattr(caller, method)(path.format(id=collective.pk), data)
        assert response.status_code == 404, (path, response.status_code)
        assert response.json()["code"] == "not_found"
    assert collective.pk not in [c["id"] for c in caller.get("cases/inbox", {"view": "all"}).json()]
    assert caller.get("cases/stats").json()["total"] == 0
    assert (Case.objects.get(pk=collective.pk).status, collective.steps.count()) == before


def test_staff_pages_404_for_sibling(personas, collective):
    client = _login(personas.sibling_staffer)
    assert client.get(reverse("cases_bench:detail", args=[collective.pk])).status_code == 404
    page = client.get(reverse("cases_bench:inbox") + "?view=all")
    assert collective.number not in page.content.decode()


def test_the_chain_reads_it(personas, collective, api):
    for user in (personas.county_staffer, personas.city_staffer, personas.county_auditor):
        assert api(user).get(f"cases/{collective.pk}").status_code == 200
    assert (
        api(personas.city_staffer).get("cases/inbox", {"view": "supervised"}).json()[0]["id"] == collective.pk
    )


def test_transfer_moves_visibility(personas, file_case, api):
    case = file_case()  # township
    township_staff = api(personas.grassroots_admin)
    assert township_staff.get(f"cases/{case.pk}").status_code == 404
    services.case_transfer(
        actor=personas.city_staffer, case=case, org_id=personas.tree.county.pk, reason="县总直办"
    )
    assert api(personas.county_staffer).get(f"cases/{case.pk}").status_code == 200


def test_every_staff_read_of_claimant_data_is_audited(personas, collective, api):
    client = _login(personas.county_staffer)
    page = client.get(reverse("cases_bench:detail", args=[collective.pk]))
    assert page.status_code == 200 and personas.worker.name in page.content.decode()
    api(personas.city_staffer).get(f"cases/{collective.pk}")
    reads = AuditEvent.objects.filter(action="case.pii_read", object_id=str(collective.pk))
    assert {e.actor for e in reads} == {personas.county_staffer, personas.city_staffer}
    for event in reads:
        assert personas.worker.phone not in str(event.detail) and personas.worker.name not in str(
            event.detail
        )
