"""The API end to end, and scope: a sibling city's staff see nothing and change nothing (404)."""

import pytest

from gonghui.proposals import selectors, services
from gonghui.proposals.models import Proposal, Review, Reward

pytestmark = pytest.mark.django_db


def test_worker_api_capture_complete_submit_and_follow(world, api):
    client = api(world.worker)
    r = client.post("proposals/drafts", {"title": "行车吊钩加装防脱装置", "place": "轧钢车间"})
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    r = client.patch(
        f"proposals/mine/{pid}",
        {
            "tier_id": world.tiers["改善课题"].pk,
            "category": "liuyuan",
            "problem": "吊钩偶有脱钩",
            "solution": "加装弹簧防脱扣",
            "estimated_savings": "3000.5",
            "show_name": False,
            "team": [{"name": "张伟", "phone": "13800014002"}],
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["estimated_savings"] == "3000.50"
    r = client.post(f"proposals/mine/{pid}/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert [e["title"] for e in r.json()["events"]][:2] == ["随手拍·草稿", "提交评审"]
    assert client.get("proposals/mine").json()[0]["id"] == pid


def test_api_errors_have_the_one_shape(world, api):
    client = api(world.worker)
    r = client.post("proposals/drafts", {"title": ""})
    assert r.status_code == 400
    assert r.json() == {"code": "required", "message": "请填写标题", "field": "title"}
    pid = client.post("proposals/drafts", {"title": "想法"}).json()["id"]
    r = client.patch(f"proposals/mine/{pid}", {"category": "kpi"})
    assert r.status_code == 400 and r.json()["field"] == "category"
    r = client.post(f"proposals/mine/{pid}/submit")
    assert r.status_code == 400 and r.json()["field"] == "tier"


def test_review_and_reward_through_the_api(world, api):
    proposal = world.submitted()
    r = api(world.reviewer).post(
        f"proposals/{proposal.pk}/review",
        {"decision": "adopt", "scores": {"innovation": 25, "feasibility": 25, "benefit": 35}},
    )
    assert r.status_code == 200 and r.json()["total"] == 85
    admin = api(world.admin)
    body = {"programme_id": world.programme.pk, "kind": "quarter", "year": 2026, "quarter": 1}
    r = admin.post("proposals/rewards", {**body, "proposal_id": proposal.pk, "amount": "25000"})
    assert r.status_code == 400 and r.json()["field"] == "amount"
    r = admin.post("proposals/rewards", {**body, "proposal_id": proposal.pk, "amount": "5000"})
    assert r.status_code == 201
    r = admin.post("proposals/rewards", {**body, "proposal_id": proposal.pk, "amount": "5000"})
    assert r.status_code == 409 and r.json()["code"] == "already_rewarded"
    ledger = admin.get("proposals/rewards", {"year": 2026, "quarter": 1}).json()
    assert [x["amount"] for x in ledger] == ["5000.00"]
    assert api(world.worker).get("proposals/rewards/mine").json()[0]["kind_display"] == "优秀提案"


def test_assigning_a_team_member_as_reviewer_is_refused_by_the_api(world, api):
    proposal = world.submitted(team=[services.TeamInput(name="陈工", phone=world.reviewer2.phone)])
    r = api(world.admin).post(f"proposals/{proposal.pk}/assign", {"reviewer_id": world.reviewer2.pk})
    assert r.status_code == 400 and r.json()["code"] == "reviewer_conflict"


def test_library_shows_adopted_proposals_and_respects_the_authors_choice(world, api):
    shown = world.adopted(title="除尘风机变频改造")
    hidden = world.adopted(title="除尘管道改造", show_name=False)
    world.submitted(title="除尘器未采纳的")
    r = api(world.worker).get("proposals/library", {"q": "除尘"})
    items = {x["id"]: x for x in r.json()}
    assert set(items) == {shown.pk, hidden.pk}
    assert items[shown.pk]["author"] == "孙师傅" and items[hidden.pk]["author"] == "匿名职工"


def test_library_ranks_proposals_by_verified_benefit(world):
    small, big = world.adopted(title="小"), world.adopted(title="大")
    for proposal, benefit in ((small, "1000"), (big, "90000")):
        services.proposal_record_implementation(actor=world.admin, proposal=proposal, evidence="完成")
        services.proposal_verify_benefit(actor=world.admin, proposal=proposal, benefit=benefit)
    ranked = list(selectors.library(root=world.company, order="benefit"))
    assert [p.title for p in ranked] == ["大", "小"]


# --- scope ------------------------------------------------------------------------------------


def test_sibling_staff_see_nothing(world, personas, api):
    proposal = world.adopted()
    reward = services.reward_grant(
        actor=world.admin,
        programme=world.programme,
        kind="quarter",
        year=2026,
        quarter=2,
        amount="5000",
        proposal=proposal,
    )
    sibling = personas.sibling_staffer
    client = api(sibling)
    assert client.get("proposals").json() == []
    assert client.get(f"proposals/{proposal.pk}").status_code == 404
    assert client.get("proposals/rewards", {"year": 2026}).json() == []
    assert client.get("proposals/report", {"year": 2026, "by": "tier"}).json() == []
    assert client.get("proposals/programmes").json() == []
    assert client.get("proposals/library", {"org_id": world.company.pk}).status_code == 404
    assert client.post(f"proposals/rewards/{reward.pk}/handover", {"note": "x"}).status_code == 404
    assert client.post(f"proposals/{proposal.pk}/verify", {"benefit": "1"}).status_code == 404
    body = {
        "programme_id": world.programme.pk,
        "kind": "hall",
        "year": 2026,
        "amount": "8000",
        "proposal_id": proposal.pk,
    }
    assert client.post("proposals/rewards", body).status_code == 404
    assert Reward.objects.count() == 1
    reward.refresh_from_db()
    assert reward.handed_over_at is None


def test_sibling_staff_cannot_review_or_assign(world, personas, api):
    proposal = world.submitted()
    client = api(personas.sibling_staffer)
    r = client.post(f"proposals/{proposal.pk}/review", {"decision": "adopt", "scores": {}})
    assert r.status_code == 404
    r = client.post(f"proposals/{proposal.pk}/assign", {"reviewer_id": personas.sibling_staffer.pk})
    assert r.status_code == 404
    review = proposal.reviews.get()
    assert review.decided_at is None and review.reviewer == world.reviewer
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


def test_staff_cannot_name_a_reviewer_outside_their_scope(world, personas, api):
    proposal = world.submitted()
    r = api(world.admin).post(f"proposals/{proposal.pk}/assign", {"reviewer_id": personas.sibling_staffer.pk})
    assert r.status_code == 404
    assert Review.objects.get(proposal=proposal).reviewer == world.reviewer


def test_workers_see_only_their_own_proposals(world, personas, api):
    proposal = world.draft()
    client = api(personas.worker)
    assert client.get(f"proposals/mine/{proposal.pk}").status_code == 404
    assert client.patch(f"proposals/mine/{proposal.pk}", {"title": "改"}).status_code == 404
    assert client.get(f"proposals/{proposal.pk}").status_code == 404  # not staff, drafts are private


def test_bench_pages_are_scoped(world, personas, client):
    proposal = world.adopted()
    client.force_login(personas.sibling_staffer)
    assert client.get(f"/workbench/proposals/{proposal.pk}/").status_code == 404
    page = client.get("/workbench/proposals/?view=all")
    assert page.status_code == 200 and proposal.title not in page.content.decode()
    client.force_login(world.admin)
    assert proposal.title in client.get("/workbench/proposals/?view=all").content.decode()


def test_programme_tiers_are_configurable_through_the_api(world, personas, api):
    base = f"proposals/programmes/{world.programme.pk}/tiers"
    tier = world.tiers["攻关项目"]
    r = api(world.admin).patch(f"{base}/{tier.pk}", {"review_days": 15})
    assert r.status_code == 200 and r.json()["review_days"] == 15
    r = api(world.admin).post(base, {"name": "金点子", "rank": 4, "review_days": 3})
    assert r.status_code == 201
    r = api(world.admin).post(base, {"name": "金点子"})
    assert r.status_code == 409 and r.json()["code"] == "tier_exists"
    assert api(personas.sibling_staffer).patch(f"{base}/{tier.pk}", {"review_days": 1}).status_code == 404
    tier.refresh_from_db()
    assert tier.review_days == 15
