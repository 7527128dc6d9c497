"""The pages as a person uses them: forms post, errors show next to the field, nothing 500s."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.proposals.models import Proposal, Reward

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_worker_capture_with_photo_then_complete_and_submit(world, client):
    client.force_login(world.worker)
    assert client.get("/proposals/new/").status_code == 200
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    r = client.post("/proposals/new/", {"title": "料仓下料口堵料", "place": "烧结厂", "photo": photo})
    assert r.status_code == 302
    proposal = Proposal.objects.get(title="料仓下料口堵料")
    assert proposal.photo.name.endswith(".png")
    assert client.get(f"/proposals/{proposal.pk}/photo/").status_code == 200
    form = {
        "title": "料仓下料口堵料",
        "tier": world.tiers["改善提案"].pk,
        "category": "suggestion",
        "problem": "雨季堵料",
        "solution": "加装振打器",
        "estimated_savings": "八千",
        "show_name": "on",
        "team": "张伟 13800014002",
        "action": "submit",
    }
    r = client.post(f"/proposals/{proposal.pk}/", form)
    assert r.status_code == 422
    body = r.content.decode()
    # The one form-error shape: the summary on top links to the field, which keeps what was typed.
    assert 'id="form-errors"' in body and 'href="#err-estimated_savings"' in body
    assert 'id="err-estimated_savings"' in body and "金额应为数字" in body and 'value="八千"' in body
    r = client.post(f"/proposals/{proposal.pk}/", {**form, "estimated_savings": "8000"})
    assert r.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and proposal.team.get().name == "张伟"
    page = client.get("/proposals/").content.decode()
    assert "料仓下料口堵料" in page and "评审中" in page


def test_a_file_that_is_not_an_image_is_refused(world, client):
    client.force_login(world.worker)
    fake = SimpleUploadedFile("a.jpg", b"MZ not an image", content_type="image/jpeg")
    r = client.post("/proposals/new/", {"title": "x", "photo": fake})
    assert r.status_code == 422 and not Proposal.objects.exists()


def test_bench_review_follow_through_and_reward(world, client):
    proposal = world.submitted()
    client.force_login(world.reviewer)
    page = client.get(f"/workbench/proposals/{proposal.pk}/").content.decode()
    assert "提交评审结论" in page
    r = client.post(
        f"/workbench/proposals/{proposal.pk}/",
        {"action": "review", "decision": "reject", "score_innovation": "10", "reason": ""},
    )
    assert r.status_code == 422 and "请填写不采纳的理由" in r.content.decode()
    r = client.post(
        f"/workbench/proposals/{proposal.pk}/",
        {
            "action": "review",
            "decision": "adopt",
            "score_innovation": "20",
            "score_feasibility": "20",
            "score_benefit": "30",
        },
    )
    assert r.status_code == 302
    client.force_login(world.admin)
    r = client.post(f"/workbench/proposals/{proposal.pk}/", {"action": "owner", "owner": world.reviewer2.pk})
    assert r.status_code == 302
    client.force_login(world.reviewer2)
    r = client.post(f"/workbench/proposals/{proposal.pk}/", {"action": "implement", "evidence": "已安装"})
    assert r.status_code == 302
    client.force_login(world.admin)
    r = client.post(
        f"/workbench/proposals/{proposal.pk}/",
        {"action": "reward", "kind": "quarter", "year": "2026", "quarter": "2", "amount": "50000"},
    )
    assert r.status_code == 422 and "1,000.00 至 20,000.00 元" in r.content.decode()
    r = client.post(
        f"/workbench/proposals/{proposal.pk}/",
        {"action": "reward", "kind": "quarter", "year": "2026", "quarter": "2", "amount": "5000"},
    )
    assert r.status_code == 302
    reward = Reward.objects.get()
    ledger = client.get("/workbench/proposals/rewards/?year=2026&quarter=2").content.decode()
    assert "5,000.00" in ledger or "5000.00" in ledger
    r = client.post(
        "/workbench/proposals/rewards/?year=2026&quarter=2", {"reward": reward.pk, "note": "奖杯一座"}
    )
    assert r.status_code == 302
    export = client.get("/workbench/proposals/rewards/export.xlsx?year=2026&quarter=2")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(world.worker)
    assert "5000.00" in client.get("/proposals/rewards/").content.decode()


def test_bench_lists_report_and_trainers_render(world, client):
    world.adopted()
    client.force_login(world.admin)
    for url in (
        "/workbench/proposals/?view=all",
        "/workbench/proposals/?view=overdue",
        "/workbench/proposals/?view=lapsed",
        "/workbench/proposals/report/?year=2026&by=tier",
        "/workbench/proposals/report/?year=abc&by=nonsense",
        "/workbench/proposals/trainers/",
        "/workbench/proposals/rewards/?year=x&quarter=9",
    ):
        assert client.get(url).status_code == 200, url


def test_worker_library_page(world, client):
    world.adopted(title="皮带跑偏自动纠偏")
    client.force_login(world.worker)
    page = client.get("/proposals/library/?q=纠偏").content.decode()
    assert "皮带跑偏自动纠偏" in page


def test_list_pages_cost_the_same_queries_for_3_or_30_proposals(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url, user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    for _ in range(3):
        world.adopted()
    few = {url: count(url, user) for url, user in _list_pages(world)}
    for _ in range(27):
        world.adopted()
    for url, user in _list_pages(world):
        assert count(url, user) == few[url], url


def _list_pages(world):
    return [
        ("/workbench/proposals/?view=all", world.admin),
        ("/proposals/", world.worker),
        ("/proposals/library/", world.worker),
    ]


def test_settings_page_tiers_reviewers_and_rules(world, client):
    from gonghui.proposals.models import Reviewer, Tier

    client.force_login(world.admin)
    assert "评审时限" in client.get("/workbench/proposals/settings/").content.decode()
    tier = world.tiers["改善提案"]
    base = {"programme": world.programme.pk}
    r = client.post(
        "/workbench/proposals/settings/", {**base, "action": "tier", "tier": tier.pk, "review_days": "99"}
    )
    assert r.status_code == 422 and "1 至 60 个工作日" in r.content.decode()
    r = client.post(
        "/workbench/proposals/settings/",
        {**base, "action": "tier", "tier": tier.pk, "name": tier.name, "review_days": "3"},
    )
    assert r.status_code == 302 and Tier.objects.get(pk=tier.pk).review_days == 3
    r = client.post(
        "/workbench/proposals/settings/", {**base, "action": "tier", "name": "金点子", "rank": "4"}
    )
    assert r.status_code == 302 and world.programme.tiers.count() == 4
    reviewer = Reviewer.objects.filter(user=world.reviewer2).first()
    r = client.post(
        "/workbench/proposals/settings/", {**base, "action": "remove_reviewer", "reviewer": reviewer.pk}
    )
    assert r.status_code == 302 and not Reviewer.objects.get(pk=reviewer.pk).is_active
    rules = {
        "quarter_min": "1000",
        "quarter_max": "500",
        "exemplar_amount": "3000",
        "hall_min": "6000",
        "hall_max": "10000",
    }
    r = client.post("/workbench/proposals/settings/", {**base, "action": "rules", **rules})
    assert r.status_code == 422 and "不能高于" in r.content.decode()


def test_settings_page_starts_a_programme_and_sibling_cannot_touch_ours(world, personas, client):
    from gonghui.proposals.models import Programme

    client.force_login(personas.sibling_staffer)
    r = client.post(
        "/workbench/proposals/settings/",
        {"action": "rules", "programme": world.programme.pk, "quarter_min": "1", "quarter_max": "2"},
    )
    assert r.status_code == 404
    r = client.post(
        "/workbench/proposals/settings/",
        {"action": "create", "org": personas.tree.sibling_city.pk, "name": "全员改善"},
    )
    assert r.status_code == 302
    assert Programme.objects.filter(org=personas.tree.sibling_city).exists()
    world.programme.refresh_from_db()
    assert world.programme.quarter_min == 1000


def test_exemplar_chosen_on_the_ledger_page(world, client):
    world.adopted()
    client.force_login(world.admin)
    page = client.get("/workbench/proposals/rewards/?year=2026&quarter=2").content.decode()
    assert "评选改善标兵" in page
    from django.utils import timezone

    year = timezone.localdate().year
    url = f"/workbench/proposals/rewards/?year={year}&quarter=2"
    form = {
        "action": "exemplar",
        "programme": world.programme.pk,
        "recipient": world.worker.pk,
        "quarter": "2",
    }
    assert client.post(url, form).status_code == 302
    r = client.post(url, form)
    assert r.status_code == 422 and "已是" in r.content.decode()
    assert Reward.objects.get().amount == 3000


def test_trainers_page_appoints_and_records_a_class(world, client):
    from gonghui.proposals.models import Trainer

    client.force_login(world.admin)
    r = client.post(
        "/workbench/proposals/trainers/",
        {"action": "appoint", "phone": world.worker.phone[3:], "org": world.company.pk, "level": "3"},
    )
    assert r.status_code == 302
    trainer = Trainer.objects.get()
    assert trainer.get_level_display() == "三级内训师"
    r = client.post(
        "/workbench/proposals/trainers/",
        {"action": "appoint", "phone": "13900000000", "org": world.company.pk, "level": "3"},
    )
    assert r.status_code == 422 and "13900000000" in r.content.decode()
    r = client.post(
        "/workbench/proposals/trainers/",
        {
            "action": "session",
            "trainer": trainer.pk,
            "title": "首期内训师基础培训班",
            "held_on": "2026-07-22",
            "attendees": world.worker.phone[3:],
        },
    )
    assert r.status_code == 302 and trainer.sessions.get().attendees.count() == 1
