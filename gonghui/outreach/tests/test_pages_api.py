"""The workbench pages, the worker's page and /api/v1/outreach/ without a browser: thin over the services,
scoped (a sibling's staff get 404), a refused form answers 422 with the message next to the field."""

import pytest

from gonghui.core.models import Notification
from gonghui.outreach import services
from gonghui.outreach.models import Opinion, Problem, Visit

from .conftest import WAGE_VISIT

pytestmark = pytest.mark.django_db


def _visit(personas):
    return services.visit_record(
        actor=personas.county_staffer, org_id=personas.tree.county.pk, visited_on="2027-03-10", **WAGE_VISIT
    )


def test_visit_form_records_and_keeps_input_when_refused(client, personas, clock):
    clock(2027, 3, 10)
    client.force_login(personas.county_staffer)
    assert client.get("/workbench/outreach/visits/new/").status_code == 200
    form = {
        "org": personas.tree.county.pk,
        "enterprise_name": "柳林县某装饰材料有限公司",
        "visited_on": "2027-03-10",
        "contract-result": "ok",
        "wages-result": "problem",
        "wages-note": "",
        "wages-worker_name": "何某军",
        "rules_advised": "2",
    }
    r = client.post("/workbench/outreach/visits/new/", form)
    page = r.content.decode()
    assert r.status_code == 422
    assert "请填写“工资按时足额”的问题说明" in page and 'id="err-wages-note"' in page
    assert 'value="何某军"' in page and "柳林县某装饰材料有限公司" in page
    assert not Visit.objects.exists()
    form["wages-note"] = "离职职工工资未发放"
    r = client.post("/workbench/outreach/visits/new/", form)
    visit = Visit.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/workbench/outreach/visits/{visit.pk}/"
    item = visit.items.get(topic="wages")
    r = client.post(r["Location"], {"action": "case", "item": item.pk}, follow=True)
    item.refresh_from_db()
    assert item.case_number and f"已转为维权诉求工单 {item.case_number}" in r.content.decode()


def test_workbench_pages_render_for_staff_and_404_for_a_sibling(client, personas, industry, clock):
    clock(2027, 3, 10)
    visit = _visit(personas)
    op = services.opinion_add(
        actor=personas.county_staffer, org_id=personas.tree.county.pk, text="工地缺饮水点"
    )
    problem = services.problem_create(
        actor=personas.county_staffer, org_id=personas.tree.county.pk, title="饮水难", opinion_ids=[op.pk]
    )
    org, admin = industry
    forum = services.forum_create(actor=admin, org_id=org.pk, name="货运行业协商协调", counterpart="货运平台")
    meeting = services.meeting_schedule(
        actor=admin, forum_id=forum.pk, kind="coordination", title="协商协调会", scheduled_on="2027-03-10"
    )
    pages = [
        "/workbench/outreach/",
        "/workbench/outreach/visits/",
        f"/workbench/outreach/visits/{visit.pk}/",
        "/workbench/outreach/problems/",
        f"/workbench/outreach/problems/{problem.pk}/",
        "/workbench/outreach/forums/",
        f"/workbench/outreach/forums/{forum.pk}/",
        f"/workbench/outreach/meetings/{meeting.pk}/",
    ]
    client.force_login(personas.county_staffer)
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert "饮水难" in client.get("/workbench/outreach/problems/").content.decode()
    client.force_login(personas.sibling_staffer)
    for url in [*pages[2::2], pages[7]]:
        assert client.get(url).status_code == 404, url
    r = client.post(
        f"/workbench/outreach/problems/{problem.pk}/", {"action": "close", "outcome": "已经解决了"}
    )
    assert r.status_code == 404
    problem.refresh_from_db()
    assert problem.status == Problem.Status.OPEN
    assert "饮水难" not in client.get("/workbench/outreach/problems/").content.decode()


def test_forum_page_shows_the_year_short_and_schedules(client, industry, clock, settings):
    settings.GONGHUI_OUTREACH_REMIND_BY = "09-30"
    clock(2027, 10, 8)
    org, admin = industry
    forum = services.forum_create(actor=admin, org_id=org.pk, name="货运行业协商协调", counterpart="货运平台")
    client.force_login(admin)
    page = client.get(f"/workbench/outreach/forums/{forum.pk}/").content.decode()
    assert "尚缺 1 次" in page and "已过 9 月 30 日" in page
    r = client.post(
        f"/workbench/outreach/forums/{forum.pk}/",
        {"action": "schedule", "kind": "coordination", "title": "", "scheduled_on": "2027-12-01"},
    )
    assert r.status_code == 422 and "请填写会议名称" in r.content.decode()
    client.post(
        f"/workbench/outreach/forums/{forum.pk}/",
        {
            "action": "schedule",
            "kind": "coordination",
            "title": "年度协商协调会",
            "scheduled_on": "2027-12-01",
        },
    )
    assert "尚缺" not in client.get(f"/workbench/outreach/forums/{forum.pk}/").content.decode()


def test_worker_page_lists_own_opinions_with_outcome(client, personas, clock):
    clock(2027, 5, 6)
    client.force_login(personas.worker)
    r = client.post("/outreach/", {"text": "短"})
    assert r.status_code == 422 and "意见内容至少 5 个字" in r.content.decode()
    client.post("/outreach/", {"text": "夜班下班后没有公交，希望开通通勤车"})
    op = Opinion.objects.get()
    assert op.raiser == personas.worker and op.org == personas.tree.grassroots
    problem = services.problem_create(
        actor=personas.county_staffer,
        org_id=personas.tree.grassroots.pk,
        title="夜班通勤难",
        opinion_ids=[op.pk],
    )
    services.problem_close(
        actor=personas.county_staffer, problem_id=problem.pk, outcome="公交公司加开 23:30 班次"
    )
    page = client.get("/outreach/").content.decode()
    assert "夜班通勤难" in page and "公交公司加开 23:30 班次" in page and "已解决" in page
    assert Notification.objects.filter(user=personas.worker, link="/outreach/").count() == 1
    # another worker sees nothing of it
    from gonghui.testing.factories import make_member, make_user

    other = make_user(name="吴师傅")
    make_member(personas.tree.sibling_grassroots, user=other, name="吴师傅")
    client.force_login(other)
    assert "夜班" not in client.get("/outreach/").content.decode()


def test_api_visit_to_case_problem_and_scope(api, personas, clock):
    clock(2027, 3, 10)
    staff = api(personas.county_staffer)
    r = staff.post(
        "outreach/visits", {**WAGE_VISIT, "org_id": personas.tree.county.pk, "visited_on": "2027-03-10"}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    wages = next(i for i in body["items"] if i["topic"] == "wages")
    assert wages["amount"] == "8600.00" or float(wages["amount"]) == 8600
    sibling = api(personas.sibling_staffer)
    assert sibling.post(f"outreach/items/{wages['id']}/case").status_code == 404
    assert sibling.get(f"outreach/visits/{body['id']}").status_code == 404
    r = staff.post(f"outreach/items/{wages['id']}/case")
    assert r.status_code == 201 and r.json()["case_number"]
    r = staff.post(f"outreach/items/{wages['id']}/case")
    assert r.status_code == 409 and r.json()["code"] == "already_escalated"
    r = staff.post(
        "outreach/visits",
        {**WAGE_VISIT, "org_id": personas.tree.county.pk, "visited_on": "2027-03-10", "items": []},
    )
    assert r.status_code == 400 and r.json() == {
        "code": "items_required",
        "message": "请至少记录一项体检结果",
        "field": "items",
    }
    worker = api(personas.worker)
    r = worker.post("outreach/opinions/mine", {"text": "驿站希望增加充电插座"})
    assert r.status_code == 201 and r.json()["status"] == "已收到"
    op_id = r.json()["id"]
    r = staff.post(
        "outreach/problems", {"org_id": personas.tree.county.pk, "title": "充电难", "opinion_ids": [op_id]}
    )
    assert r.status_code == 201 and r.json()["opinion_count"] == 1
    pid = r.json()["id"]
    assert sibling.post(f"outreach/problems/{pid}/close", {"outcome": "已加装插座"}).status_code == 404
    r = staff.post(
        f"outreach/problems/{pid}/measures", {"text": "驿站加装插座", "owner_department": "市场监管"}
    )
    assert r.status_code == 201 and r.json()["owner"] == "市场监管"
    assert staff.post(f"outreach/problems/{pid}/close", {"outcome": "已加装 6 个插座"}).status_code == 200
    assert worker.get("outreach/opinions/mine").json()[0]["outcome"] == "已加装 6 个插座"
    assert staff.get("outreach/funnel").json() == {
        "opinions": 1,
        "problems": 1,
        "measures": 1,
        "solved": 1,
        "closed_problems": 1,
    }
    assert sibling.get("outreach/funnel").json()["opinions"] == 0
    assert staff.get("outreach/visits/totals").json()["cases"] == 1
    r = staff.get("outreach/visits", {"limit": "5", "offset": str(2**70)})
    assert r.status_code == 200 and r.json() == []


def test_list_pages_do_not_grow_queries_with_rows(client, personas, industry, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.outreach import selectors

    clock(2027, 3, 10)
    org, admin = industry
    county, staffer = personas.tree.county, personas.county_staffer

    def add(n):
        for i in range(n):
            visit = services.visit_record(
                actor=staffer,
                org_id=county.pk,
                visited_on="2027-03-01",
                **{**WAGE_VISIT, "enterprise_name": f"企业{i}{n}"},
            )
            op = services.opinion_add(
                actor=staffer, org_id=county.pk, text=f"意见{i}", visit_id=visit.pk, source="visit"
            )
            problem = services.problem_create(
                actor=staffer, org_id=county.pk, title=f"问题{i}{n}", opinion_ids=[op.pk]
            )
            services.measure_add(actor=staffer, problem_id=problem.pk, text="措施", owner_department="公安")
            forum = services.forum_create(actor=admin, org_id=org.pk, name=f"平台{i}{n}", counterpart="平台")
            services.meeting_schedule(
                actor=admin, forum_id=forum.pk, kind="coordination", title="会", scheduled_on="2027-05-01"
            )

    client.force_login(staffer)
    urls = [
        "/workbench/outreach/",
        "/workbench/outreach/visits/",
        "/workbench/outreach/problems/",
        "/workbench/outreach/forums/",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx))
        return result

    add(2)
    few = counts()
    add(10)
    assert counts() == few
    # the one-query figures on the list pages are year_status's
    for forum, figures in selectors.forums_with_year(actor=staffer, year=2027):
        assert figures == selectors.year_status(forum, 2027)
