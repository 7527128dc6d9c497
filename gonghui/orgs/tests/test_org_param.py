"""`?org=` on any workbench page: an org outside the staffer's subtree, one that does not exist, or
one that is not a number is a 404 page — never a 500, and never silently "all of my subtree"."""

import pytest

from gonghui.orgs.models import Org
from gonghui.orgs.tests.test_scope_pages import NOT_FOUND

PAGES = [
    "/workbench/members/",
    "/workbench/members/export.xlsx",
    "/workbench/members/dues/",
    "/workbench/members/lapse/",
    "/workbench/service-orders/calendar/",
    "/workbench/audit/",
]


def _bad_values(personas):
    missing = (Org.objects.order_by("-pk").first().pk or 0) + 1000
    return {
        "sibling": personas.tree.sibling_city.pk,
        "missing": missing,
        "text": "abc",
        "huge": 10**30,
        "negative": -1,
    }


@pytest.mark.parametrize("path", PAGES)
def test_org_outside_scope_or_unknown_is_404(client, personas, path):
    client.force_login(personas.county_auditor if path == "/workbench/audit/" else personas.county_staffer)
    for label, value in _bad_values(personas).items():
        response = client.get(path, {"org": value})
        assert response.status_code == 404, (path, label, response.status_code)
        assert NOT_FOUND in response.content.decode(), (path, label)


@pytest.mark.parametrize("path", PAGES)
def test_org_in_scope_is_served(client, personas, path):
    client.force_login(personas.county_auditor if path == "/workbench/audit/" else personas.county_staffer)
    response = client.get(path, {"org": personas.tree.township.pk})
    assert response.status_code == 200, (path, response.status_code)
