import datetime as dt
from io import StringIO

import pytest
import time_machine

from gonghui.accounts.models import User
from gonghui.demo import outreach, tree
from gonghui.outreach import selectors
from gonghui.outreach.models import Forum

pytestmark = pytest.mark.django_db


def test_demo_outreach_tells_the_seed_stories():
    with time_machine.travel(dt.datetime(2027, 2, 1, 10, tzinfo=dt.UTC), tick=False):
        tree.load(stdout=StringIO(), members=20)
        outreach.load(stdout=StringIO())
        outreach.load(stdout=StringIO())  # idempotent
        crec = User.objects.get_by_phone("+8613800022003")
        funnel = selectors.funnel(actor=crec)
        assert (funnel["opinions"], funnel["problems"], funnel["measures"], funnel["solved"]) == (
            136,
            8,
            15,
            52,
        )
        totals = selectors.visit_totals(actor=User.objects.get_by_phone("+8613800022001"))
        assert (
            totals["enterprises"],
            totals["rules_improved"],
            totals["disputes_solved"],
            totals["cases"],
        ) == (
            120,
            170,
            3,
            1,
        )
        forum = Forum.objects.get()
        assert forum.agreements.get().commitments.count() == 12
        assert selectors.year_status(forum, 2027)["short"] == 1  # this year's 协商协调会 is not scheduled yet
        han = User.objects.get_by_phone("+8613800000001")
        assert any(op.problem and op.problem.outcome for op in selectors.opinions_of_worker(user=han))
