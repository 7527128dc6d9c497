import datetime as dt
from io import StringIO

import pytest
import time_machine

from gonghui.demo import honours, tree
from gonghui.honours.models import Honour, TechProblem

pytestmark = pytest.mark.django_db


def test_demo_drivers_award_and_mentoring():
    with time_machine.travel(dt.datetime(2027, 2, 1, 10, tzinfo=dt.UTC), tick=False):
        tree.load(stdout=StringIO(), members=20)
        honours.load(stdout=StringIO())
        honours.load(stdout=StringIO())  # idempotent
    # fewest accidents first, then most trips; 薛海平 and 贺春生 tie (401, 0) and share second place
    assert sorted(Honour.objects.values_list("member__name", flat=True)) == ["薛海平", "贺春生", "郝永刚"]
    assert TechProblem.objects.get().status == TechProblem.Status.SOLVED
