"""URLs no user input can turn into a 500, and an error page that shows no connection string."""

import pytest
from django.test import Client, RequestFactory, override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/stations/s/%00/", "/stations/scan/%00/", "/api/v1/stations/s/%00"])
def test_nul_in_the_path_is_a_400(url):
    response = Client().get(url)
    assert response.status_code in (400, 404), response.status_code
    if url.startswith("/stations/s/"):
        assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "campaigns/99999999999999999999",
        "campaigns/99999999999999999999/report",
        "cases/99999999999999999999",
        "members/99999999999999999999",
        "orgs/99999999999999999999",
        "enrollments/99999999999999999999",
    ],
)
def test_huge_ids_are_404(personas, api, path):
    assert api(personas.county_staffer).get(path).status_code == 404


def test_a_huge_id_in_any_write_is_404_not_500(personas, api):
    # Found by the contract test: the waiting list bound a 25-digit id straight into SQLite.
    response = api(personas.worker).post("campaigns/1532419514869921387380736/offers/2132/waitlist")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


PASSWORD = "s3cret" + "-pass"  # built, so the page's source excerpts never hold it whole


def _request():
    return RequestFactory().get(
        "/",
        DATABASE_URL=f"postgresql://gonghui:{PASSWORD}@db.internal:5432/gonghui",
        REDIS_URL="redis://:" + "pw@cache:6379/0",
    )


def _boom():
    raise RuntimeError("boom")


@override_settings(DEBUG=True)
def test_debug_error_page_hides_the_database_url():
    import sys

    from django.views.debug import technical_500_response

    request = _request()
    try:
        _boom()
    except RuntimeError:
        response = technical_500_response(request, *sys.exc_info())
    body = response.content.decode()
    assert PASSWORD not in body and "redis://:" + "pw" not in body
    assert "DATABASE_URL" in body  # named, value hidden
