"""The dashboard page, its xlsx, targets, denominators, the public page and the API: scoped like everything
else (a sibling's union is a 404 and nothing changes), errors name the field, nothing answers 500."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.models import AuditEvent
from gonghui.stats.models import Denominator, PublicBoard, Target
from gonghui.stats.rollup import rollup_days
from gonghui.testing.factories import make_member

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 10, 10, tzinfo=TZ)
URL = "/workbench/stats/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def rolled(personas):
    t = personas.tree
    for i in range(3):
        make_member(t.grassroots, name=f"新{i}", employment_form="new", joined_at=dt.date(2026, 2, 2 + i))
    make_member(t.grassroots, name="老张", employment_form="standard", joined_at=dt.date(2026, 2, 9))
    rollup_days(dt.date(2026, 1, 1), dt.date(2026, 3, 10))
    return t


def login(client, user):
    client.force_login(user)
    return client


def test_the_dashboard_opens_on_the_staffers_own_union_and_drills_down(client, personas, rolled):
    login(client, personas.county_staffer)
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "柳林县总工会 · 统计看板" in body
    assert page.context["f"]["members"] == 5  # 4 joined in Feb, the worker today
    assert f"?org={rolled.township.pk}" in body  # the child is a link
    down = client.get(URL, {"org": rolled.grassroots.pk})
    assert down.status_code == 200
    crumbs = [o.pk for o in down.context["crumbs"]]
    assert crumbs == [rolled.county.pk, rolled.township.pk]  # stops at the top of the staffer's scope
    assert "口径" in body and '<details class="def">' in body


def test_a_sibling_union_is_not_found_on_every_route(client, personas, rolled):
    login(client, personas.sibling_staffer)
    t = rolled
    assert client.get(URL, {"org": t.county.pk}).status_code == 404
    assert client.get(reverse("stats_bench:export"), {"org": t.county.pk}).status_code == 404
    before = (Target.objects.count(), Denominator.objects.count(), PublicBoard.objects.count())
    post = {
        "org": t.county.pk,
        "kind": "new_members",
        "value": "5",
        "start": "2026-01-01",
        "due": "2026-12-31",
    }
    assert client.post(reverse("stats_bench:target_new"), post).status_code == 404
    post = {"org": t.county.pk, "eligible": "40000", "as_of": "2026-03-01"}
    assert client.post(reverse("stats_bench:denominator_new"), post).status_code == 404
    assert client.post(reverse("stats_bench:board"), {"org": t.county.pk, "enabled": "on"}).status_code == 404
    assert (Target.objects.count(), Denominator.objects.count(), PublicBoard.objects.count()) == before


def test_api_overview_is_scoped_and_matches_the_page(api, personas, rolled):
    mine = api(personas.city_staffer).get(
        f"stats/orgs/{rolled.county.pk}/overview", {"from": "2026-01-01", "to": "2026-03"}
    )
    assert mine.status_code == 200
    data = mine.json()
    assert data["from"] == "2026-01" and data["to"] == "2026-03"
    assert data["figures"]["members"] == 5
    assert data["figures"]["joins"] == 5
    assert [m["members"] for m in data["series"]] == [0, 4, 5]
    sibling = api(personas.sibling_staffer).get(f"stats/orgs/{rolled.county.pk}/overview")
    assert sibling.status_code == 404
    assert sibling.json()["code"] == "not_found"
    assert api(personas.worker).get(f"stats/orgs/{rolled.grassroots.pk}/overview").status_code == 404


@pytest.mark.parametrize(
    "params,field",
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "昨天"}, "to"),
        ({"from": "2026-05", "to": "2026-01"}, "from"),
    ],
)
def test_api_bad_dates_are_400_naming_the_field(api, personas, rolled, params, field):
    r = api(personas.county_staffer).get(f"stats/orgs/{rolled.county.pk}/overview", params)
    assert r.status_code == 400
    assert r.json()["field"] == field


def test_page_bad_dates_are_422_with_the_message(client, personas, rolled):
    login(client, personas.county_staffer)
    r = client.get(URL, {"from": "2026-99"})
    assert r.status_code == 422
    assert "日期格式应为" in r.content.decode()


def test_export_is_an_audited_xlsx_with_definitions(client, personas, rolled):
    login(client, personas.county_staffer)
    r = client.get(
        reverse("stats_bench:export"), {"org": rolled.township.pk, "from": "2026-01", "to": "2026-03"}
    )
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    rows = {row[0]: row for row in book["概览"].iter_rows(values_only=True)}
    assert rows["在册会员"][1] == 5
    assert rows["在册会员"][3].startswith("截至期末")
    assert [row[7] for row in book["按月"].iter_rows(min_row=2, values_only=True)] == [0, 4, 5]
    assert AuditEvent.objects.filter(action="stats.export", org=rolled.township).count() == 1


def test_targets_show_progress_to_the_union_and_its_parent(client, personas, rolled):
    login(client, personas.grassroots_admin)
    r = client.post(
        reverse("stats_bench:target_new"),
        {
            "org": rolled.grassroots.pk,
            "kind": "new_members",
            "value": "8",
            "start": "2026-01-01",
            "due": "2026-06-30",
        },
    )
    assert r.status_code == 302
    page = client.get(URL)
    (target,) = page.context["targets"]
    assert (target["progress"], target["goal"], target["status"]) == ("5", "8", "on_track")
    # The county sees it as the child's own progress, in tree order — no ranking.
    login(client, personas.county_staffer)
    down = client.get(URL, {"org": rolled.township.pk})
    (child,) = down.context["children"]
    assert child["org"] == rolled.grassroots
    assert child["targets"][0]["progress"] == "5"


def test_a_share_target_is_drawn_and_judged(client, personas, rolled):
    login(client, personas.county_staffer)
    r = client.post(
        reverse("stats_bench:target_new"),
        {
            "org": rolled.county.pk,
            "kind": "new_form_share",
            "value": "6.5%",
            "start": "2026-01-01",
            "due": "2026-12-31",
        },
    )
    assert r.status_code == 302
    page = client.get(URL)
    (target,) = page.context["targets"]
    assert target["goal"] == "6.5%" and target["status"] == "reached"  # 4 of 5 are new-form
    assert page.context["charts"]["target_share"] == 6.5


@pytest.mark.parametrize(
    "post,field",
    [
        ({"kind": "new_members", "value": "很多", "start": "2026-01-01", "due": "2026-12-31"}, "value"),
        ({"kind": "new_members", "value": "10", "start": "2026-06-01", "due": "2026-01-31"}, "due"),
        ({"kind": "new_form_share", "value": "130", "start": "2026-01-01", "due": "2026-12-31"}, "value"),
        ({"kind": "x", "value": "1", "start": "2026-01-01", "due": "2026-12-31"}, "kind"),
    ],
)
def test_a_bad_target_is_422_and_names_the_field(client, personas, rolled, post, field):
    login(client, personas.county_staffer)
    r = client.post(reverse("stats_bench:target_new"), {"org": rolled.county.pk, **post})
    assert r.status_code == 422
    assert field in r.context["form_errors"].fields
    assert not Target.objects.exists()


def test_a_denominator_gives_the_joining_rate(client, personas, rolled):
    login(client, personas.county_staffer)
    r = client.post(
        reverse("stats_bench:denominator_new"),
        {"org": rolled.county.pk, "eligible": "40", "as_of": "2026-03-01", "source": "平台提供"},
    )
    assert r.status_code == 302
    f = client.get(URL).context["f"]
    assert (f["eligible"], f["join_rate"]) == (40, 12.5)


def test_the_public_page_is_off_until_turned_on_and_shows_only_chosen_figures(client, personas, rolled):
    public = reverse("stats:public", args=[rolled.county.pk])
    assert client.get(public).status_code == 404
    login(client, personas.county_staffer)
    r = client.post(
        reverse("stats_bench:board"),
        {"org": rolled.county.pk, "enabled": "on", "figures": ["members", "joins"]},
    )
    assert r.status_code == 302
    client.logout()
    page = client.get(public)
    assert page.status_code == 200
    body = page.content.decode()
    assert "在册会员" in body and "新入会" in body and "退会" not in body
    login(client, personas.county_staffer)
    r = client.post(
        reverse("stats_bench:board"), {"org": rolled.county.pk, "enabled": "on", "figures": ["eligible"]}
    )
    assert r.status_code == 422
    client.post(reverse("stats_bench:board"), {"org": rolled.county.pk, "figures": ["members"]})
    client.logout()
    assert client.get(public).status_code == 404


def test_only_the_unions_admin_sets_its_targets(client, personas, rolled):
    login(client, personas.county_auditor)
    post = {
        "org": rolled.county.pk,
        "kind": "new_members",
        "value": "5",
        "start": "2026-01-01",
        "due": "2026-12-31",
    }
    assert client.post(reverse("stats_bench:target_new"), post).status_code == 404
    assert client.get(URL).status_code == 200  # but reads the figures
    assert not Target.objects.exists()
