import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
import time_machine

from gonghui.demo import proposals, tree
from gonghui.proposals.models import Proposal, Review, Reward, Trainer

pytestmark = pytest.mark.django_db


def test_demo_proposals_tell_the_laiwu_story():
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC), tick=False):
        tree.load(stdout=StringIO(), members=20)
        proposals.load(stdout=StringIO())
        proposals.load(stdout=StringIO())  # idempotent
    li = Proposal.objects.filter(author_name="李洋洋")
    assert li.count() == 6  # "我的6个改善项目都是这样提报的"
    award = Reward.objects.get(proposal__title="转炉氧枪口结渣清理工具改进", recipient_name="李洋洋")
    assert award.amount == Decimal("5000.00") and award.handed_over_at and "奖杯" in award.handover_note
    assert Reward.objects.get(kind="exemplar", recipient_name="李洋洋").amount == Decimal("3000.00")
    assert li.get(title="钢包烘烤器节能改造").lapsed
    assert Review.objects.get(proposal__title="2号转炉平台照明改造").overdue
    assert set(Trainer.objects.values_list("level", flat=True)) == {1, 2, 3}
    assert Proposal.objects.count() > 40
