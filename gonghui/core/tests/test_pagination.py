"""One pagination helper for every list: a bad offset or limit is clamped, never a 500."""

import pytest

from gonghui.core.pagination import MAX_OFFSET, clamp, page_of, window


def test_clamp_bounds():
    assert clamp(limit=-5, offset=-1, maximum=200) == (1, 0)
    assert clamp(limit=10**30, offset=10**30, maximum=200) == (200, MAX_OFFSET)
    assert clamp(limit="x", offset="y", maximum=50) == (50, 0)


def test_window_and_page_on_a_list():
    rows = list(range(10))
    assert window(rows, limit=3, offset=-1, maximum=5) == [0, 1, 2]
    assert window(rows, limit=3, offset=10**20, maximum=5) == []
    assert list(page_of(rows, "-3", per_page=4)) == [8, 9]  # bad number → the last page, like get_page
    assert list(page_of(rows, "abc", per_page=4)) == [0, 1, 2, 3]


def _list_paths():
    from config.api import api

    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        get = ops.get("get")
        if not get or "{" in path:
            continue
        names = {p["name"] for p in get.get("parameters", [])}
        if "offset" in names or "limit" in names:
            yield path


@pytest.mark.django_db
def test_every_api_list_clamps_offset_and_limit(personas, api):
    paths = list(_list_paths())
    assert len(paths) >= 30, paths  # every list of every app, wave 2 included
    # Staff lists and the worker's own lists (a worker-only list never reaches its slice for staff).
    clients = [api(user) for user in (personas.county_staffer, personas.county_auditor, personas.worker)]
    clients.append(api(personas.member.user))
    failures = []
    for path in paths:
        for client in clients:
            for params in (
                {"offset": -1},
                {"offset": 10**30},
                {"limit": -1},
                {"limit": 10**30},
                {"offset": -(10**30), "limit": 0},
                {"offset": "abc"},
            ):
                response = client.get(path, params)
                if response.status_code >= 500:
                    failures.append((path, params, response.status_code))
    assert not failures


@pytest.mark.django_db
def test_page_lists_survive_bad_page_numbers(personas, client):
    client.force_login(personas.county_staffer)
    for url in (
        "/workbench/members/",
        "/workbench/cases/",
        "/workbench/stations/",
        "/workbench/service-orders/orders/",
    ):
        for page in ("-1", "0", "99999999999999999999999", "abc"):
            response = client.get(url, {"page": page})
            assert response.status_code == 200, (url, page, response.status_code)
