import datetime as dt

from gonghui.honours import services
from gonghui.honours.models import Honour, Selection

from .conftest import at


def _honour(world):
    return services.honour_record(
        actor=world.admin,
        org=world.tree.county,
        data=services.HonourInput(
            title="山西省五一劳动奖章",
            level="province",
            year=2025,
            awarding_body="山西省总工会",
            member_id=world.member.pk,
            certificate_no="JZ2025-0416",
        ),
    )


def test_worker_sees_own_honours_on_the_phone_and_api(world, client, api):
    _honour(world)
    client.force_login(world.worker)
    page = client.get("/honours/")
    assert "山西省五一劳动奖章" in page.content.decode()
    rows = api(world.worker).get("/api/v1/honours/mine").json()
    assert [r["title"] for r in rows] == ["山西省五一劳动奖章"]
    other = api(world.other.user).get("/api/v1/honours/mine").json()
    assert other == []


def test_register_is_scoped_and_sibling_gets_404(world, client, api):
    _honour(world)
    assert len(api(world.admin).get("/api/v1/honours/register").json()) == 1
    assert api(world.p.sibling_staffer).get("/api/v1/honours/register").json() == []
    with at(2027, 3, 10):
        sel = world.selection()
    resp = api(world.p.sibling_staffer).post(f"/api/v1/honours/selections/{sel.pk}/publish", {})
    assert resp.status_code == 404
    client.force_login(world.p.sibling_staffer)
    assert client.get(f"/workbench/honours/selections/{sel.pk}/").status_code == 404
    sel.refresh_from_db()
    assert sel.status == Selection.Status.OPEN
    client.force_login(world.admin)
    assert "2027年柳林县五一劳动奖章评选" in client.get("/workbench/honours/selections/").content.decode()


def test_api_bad_input_answers_400_with_field(world, api):
    resp = api(world.admin).post(
        "/api/v1/honours/register",
        {
            "org_id": world.tree.county.pk,
            "title": "劳模",
            "level": "galactic",
            "year": 2025,
            "awarding_body": "县总工会",
            "member_id": world.member.pk,
        },
    )
    assert resp.status_code == 400 and resp.json()["field"] == "level"
    resp = api(world.admin).post(
        "/api/v1/honours/selections",
        {
            "org_id": world.tree.county.pk,
            "title": "评选",
            "honour_title": "劳模",
            "level": "county",
            "quota": "many",
            "opens_on": "2027-03-01",
            "closes_on": "2027-03-31",
        },
    )
    assert resp.status_code in (400, 422)
    assert not Honour.objects.exists() and not Selection.objects.exists()
    resp = api(world.p.sibling_staffer).post(
        "/api/v1/honours/selections",
        {
            "org_id": world.tree.county.pk,
            "title": "评选",
            "honour_title": "劳模",
            "level": "county",
            "quota": 1,
            "opens_on": "2027-03-01",
            "closes_on": "2027-03-31",
        },
    )
    assert resp.status_code == 404
    assert not Selection.objects.exists()
    _ = dt


def test_api_studios_contests_training_scoped_and_validated(world, api):
    with at(2027, 5, 1):
        admin, sibling = api(world.admin), api(world.p.sibling_staffer)
        body = {
            "org_id": world.tree.county.pk,
            "name": "王建军劳模创新工作室",
            "kind": "model_worker",
            "level": "county",
            "named_year": 2026,
            "leader_id": world.member.pk,
        }
        assert sibling.post("/api/v1/honours/studios", body).status_code == 404
        resp = admin.post("/api/v1/honours/studios", body)
        assert resp.status_code == 201
        studio_id = resp.json()["id"]
        bad = admin.post(
            f"/api/v1/honours/studios/{studio_id}/projects",
            {"title": "节油", "goal": "降油耗", "year": 2027, "benefit": "50000"},
        )
        assert bad.status_code == 400 and bad.json()["field"] == "benefit_basis"
        assert (
            sibling.post(
                f"/api/v1/honours/studios/{studio_id}/reviews",
                {"year": 2027, "result": "pass", "comment": "x"},
            ).status_code
            == 404
        )
        resp = admin.post(
            "/api/v1/honours/contests",
            {
                "org_id": world.tree.county.pk,
                "title": "竞赛",
                "level": "county",
                "held_on": "2027-05-01",
                "events": ["实操"],
            },
        )
        assert resp.status_code == 201
        contest_id = resp.json()["id"]
        entrant = admin.post(
            f"/api/v1/honours/contests/{contest_id}/entrants", {"member_id": world.member.pk}
        ).json()
        event_id = (
            __import__("gonghui.honours.models", fromlist=["ContestEvent"]).ContestEvent.objects.get().pk
        )
        url = f"/api/v1/honours/contests/{contest_id}/entrants/{entrant['id']}/scores"
        assert admin.post(url, {"event_id": event_id, "score": "abc"}).json()["field"] == "score"
        assert sibling.post(url, {"event_id": event_id, "score": "90"}).status_code == 404
        assert admin.post(url, {"event_id": event_id, "score": "90"}).status_code == 201
        rows = admin.post(f"/api/v1/honours/contests/{contest_id}/results", {}).json()
        assert [(r["rank"], float(r["total"])) for r in rows] == [(1, 90.0)]
        assert sibling.get("/api/v1/honours/contests").json() == []
