import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.orgs.models import Org, Staff
from gonghui.proposals import services
from gonghui.proposals.models import Tier
from gonghui.testing.factories import make_member, make_org, make_staff, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10):
    """Travel to a moment in Asia/Shanghai; the clock stands still so due dates are exact."""
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=SHANGHAI), tick=False)


class World:
    """A company union running 全员改善 with a workshop sub-union, a reviewer per tier, a worker."""

    def __init__(self, personas):
        self.p = personas
        tree = personas.tree
        self.company = tree.grassroots
        self.workshop = make_org(self.company, Org.Kind.GRASSROOTS, "运输车间分工会", short_name="运输车间")
        self.admin = personas.grassroots_admin
        self.programme = services.programme_create(actor=self.admin, org=self.company)
        self.tiers = {t.name: t for t in Tier.objects.filter(programme=self.programme)}
        self.reviewer = make_staff(self.company, Staff.Role.EXPERT, name="刘工")
        self.reviewer2 = make_staff(self.company, Staff.Role.EXPERT, name="陈工")
        for tier in self.tiers.values():
            services.reviewer_add(
                actor=self.admin, programme=self.programme, tier=tier, org=self.company, user=self.reviewer
            )
            services.reviewer_add(
                actor=self.admin,
                programme=self.programme,
                tier=tier,
                org=self.company,
                user=self.reviewer2,
                level=2,
            )
        self.worker = make_user(name="孙师傅")
        self.member = make_member(self.workshop, user=self.worker, name="孙师傅")

    def draft(self, title="皮带机托辊加装防尘罩", *, worker=None, **fields):
        worker = worker or self.worker
        proposal = services.proposal_capture(actor=worker, title=title, place="2号转运站")
        data = {
            "tier_id": self.tiers["改善提案"].pk,
            "category": "wuxiao",
            "problem": "托辊积尘，每月更换 6 个",
            "solution": "加装防尘罩",
            "estimated_savings": "12000",
            **fields,
        }
        team = data.pop("team", None)
        return services.proposal_update(
            actor=worker, proposal=proposal, data=services.ProposalInput(**data, team=team)
        )

    def submitted(self, **kw):
        return services.proposal_submit(actor=kw.pop("worker", self.worker), proposal=self.draft(**kw))

    def adopted(self, **kw):
        proposal = self.submitted(**kw)
        services.review_decide(
            actor=self.reviewer,
            proposal=proposal,
            decision="adopt",
            scores={"innovation": 20, "feasibility": 25, "benefit": 30},
        )
        proposal.refresh_from_db()
        return proposal


@pytest.fixture
def world(personas):
    return World(personas)
