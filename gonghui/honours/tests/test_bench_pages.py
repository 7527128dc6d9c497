"""The workbench pages a staffer uses (1366 px in the browser test): each answers, a sibling's staff get 404
on every detail page and nothing changes, a bad form answers 422 with the field named and the input kept, and
the register exports the subtree as xlsx (audited)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from gonghui.core.models import AuditEvent
from gonghui.honours import services
from gonghui.honours.models import Agreement, Contest, Selection, Studio

from .conftest import at

PAGES = [
    "",
    "selections/",
    "studios/",
    "agreements/",
    "problems/",
    "contests/",
    "training/",
    "services/",
    "register/new/",
]


def _things(world):
    tree = world.tree
    with at(2027, 3, 10):
        sel = world.selection()
        studio = services.studio_register(
            actor=world.admin,
            org=tree.county,
            name="王建军劳模创新工作室",
            kind="model_worker",
            level="county",
            named_year=2026,
            leader_id=world.member.pk,
        )
        agreement = services.agreement_sign(
            actor=world.admin,
            org=tree.county,
            master_id=world.member.pk,
            apprentice_ids=[world.other.pk],
            plan="电气故障排查",
            starts_on=dt.date(2027, 3, 1),
            ends_on=dt.date(2028, 2, 28),
        )
        contest = services.contest_open(
            actor=world.admin,
            org=tree.county,
            title="柳林县驾驶员技能竞赛",
            level="county",
            held_on=dt.date(2027, 5, 1),
            events=["理论知识", "实际操作"],
        )
    return sel, studio, agreement, contest


def test_every_page_answers_and_details_are_scoped(world, client):
    sel, studio, agreement, contest = _things(world)
    with at(2027, 3, 10):
        client.force_login(world.admin)
        for page in PAGES:
            assert client.get(f"/workbench/honours/{page}").status_code == 200, page
        details = [
            f"selections/{sel.pk}/",
            f"studios/{studio.pk}/",
            f"agreements/{agreement.pk}/",
            f"contests/{contest.pk}/",
        ]
        for page in details:
            assert client.get(f"/workbench/honours/{page}").status_code == 200, page
        client.force_login(world.p.sibling_staffer)
        for page in details:
            assert client.get(f"/workbench/honours/{page}").status_code == 404, page
        # and a sibling's post changes nothing
        resp = client.post(f"/workbench/honours/selections/{sel.pk}/", {"action": "publish"})
        assert resp.status_code == 404
        resp = client.post(f"/workbench/honours/contests/{contest.pk}/", {"action": "results"})
        assert resp.status_code == 404
        resp = client.post(
            f"/workbench/honours/agreements/{agreement.pk}/", {"action": "review", "end_review": "好"}
        )
        assert resp.status_code == 404
    assert Selection.objects.get().status == "open"
    assert Contest.objects.get().status == "open"
    assert Agreement.objects.get().status == "active"
    assert Studio.objects.count() == 1


def test_bad_forms_answer_422_with_the_field_and_keep_the_input(world, client):
    with at(2027, 3, 10):
        client.force_login(world.admin)
        resp = client.post(
            "/workbench/honours/selections/",
            {
                "org_id": world.tree.county.pk,
                "title": "2027年柳林县劳模评选",
                "honour_title": "柳林县劳动模范",
                "level": "county",
                "quota": "很多",
                "opens_on": "2027-03-01",
                "closes_on": "2027-03-31",
                "nominators": "both",
            },
        )
        assert resp.status_code == 422
        body = resp.content.decode()
        assert "名额应为 1–1000 的整数" in body and 'id="err-quota"' in body
        assert 'value="2027年柳林县劳模评选"' in body
        resp = client.post(
            "/workbench/honours/agreements/",
            {
                "org_id": world.tree.county.pk,
                "master_no": world.member.member_no,
                "apprentice_nos": "NO-SUCH-NUMBER",
                "plan": "计划",
                "starts_on": "2027-03-01",
                "ends_on": "2028-03-01",
            },
        )
        assert resp.status_code == 422 and "请选择至少一名徒弟" in resp.content.decode()
        resp = client.post(
            "/workbench/honours/contests/",
            {
                "org_id": world.tree.county.pk,
                "title": "竞赛",
                "level": "county",
                "held_on": "2027-05-01",
                "events": "",
            },
        )
        assert resp.status_code == 422 and 'id="err-events"' in resp.content.decode()
    assert not Selection.objects.exists() and not Agreement.objects.exists() and not Contest.objects.exists()


def test_register_filters_and_exports_the_subtree(world, client):
    with at(2027, 3, 10):
        for title, level, year in [
            ("山西省五一劳动奖章", "province", 2025),
            ("柳林县劳动模范", "county", 2026),
        ]:
            services.honour_record(
                actor=world.admin,
                org=world.tree.county,
                data=services.HonourInput(
                    title=title, level=level, year=year, awarding_body="总工会", member_id=world.member.pk
                ),
            )
        services.honour_record(
            actor=world.p.sibling_staffer,
            org=world.tree.sibling_city,
            data=services.HonourInput(
                title="太原市工人先锋号",
                level="city",
                year=2025,
                awarding_body="太原市总工会",
                collective_id=world.tree.sibling_grassroots.pk,
            ),
        )
    client.force_login(world.admin)
    body = client.get("/workbench/honours/?level=province").content.decode()
    assert "山西省五一劳动奖章" in body and "柳林县劳动模范" not in body and "太原市工人先锋号" not in body
    body = client.get("/workbench/honours/?q=王建军&year=2026").content.decode()
    assert "柳林县劳动模范" in body and "山西省五一劳动奖章" not in body
    resp = client.get("/workbench/honours/?export=xlsx&holder=person")
    assert resp.status_code == 200
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "年度", "荣誉称号", "级别")
    assert sorted(r[2] for r in rows[1:]) == ["山西省五一劳动奖章", "柳林县劳动模范"]
    event = AuditEvent.objects.filter(action="honours.register_export").get()
    assert event.org_id == world.tree.county.pk and event.detail["rows"] == 2


@pytest.mark.parametrize("score", ["101", "-1", "九十", ""])
def test_panel_score_bad_input_on_the_page(world, client, score):
    with at(2027, 3, 10):
        sel = world.selection()
        n = services.nominate(
            actor=world.worker, selection=sel, member_id=world.member.pk, evidence="十年零事故"
        )
        client.force_login(world.expert)
        resp = client.post(
            f"/workbench/honours/selections/{sel.pk}/",
            {"action": "score", "nomination": n.pk, "score": score},
        )
    assert resp.status_code == 422 and "评分应为 0–100 的整数" in resp.content.decode()
    assert not n.scores.exists()
