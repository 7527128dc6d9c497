import datetime as dt
from io import StringIO

import pytest
import time_machine

from gonghui.accounts.models import User
from gonghui.demo import library, tree
from gonghui.library import selectors
from gonghui.library.models import EBook, LevelApplication, Loan, ReadingEvent, ReadingRoom
from gonghui.orgs.models import Org, Staff

pytestmark = pytest.mark.django_db


def test_demo_loads_tieling_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 4, 23, 10, tzinfo=dt.UTC), tick=False):
        tree.load(stdout=StringIO(), members=20)
        library.load(stdout=StringIO())
        library.load(stdout=StringIO())  # idempotent
        city = Org.objects.get(short_name="铁岭市总")
        admin = Staff.objects.get(org=city, role="admin").user
        counts = {level: n for level, _label, n in selectors.level_counts(actor=admin)["levels"]}
        assert (counts["national"], counts["provincial"]) == (9, 14)
        assert counts["county"] == 373  # 372 + 小青煤矿
        assert Loan.objects.filter(lender=city).count() == 51
        assert EBook.objects.filter(format="epub").count() == 3
        assert ReadingEvent.objects.filter(room__name="小青煤矿职工书屋").count() == 2
        assert LevelApplication.objects.get().approver == Org.objects.get(short_name="银州区总")
        assert ReadingRoom.objects.filter(org_path__startswith=city.path).count() == 9 + 14 + 372 + 4
        reader = User.objects.get_by_phone("13800023004")
        [row] = selectors.shelf_for(actor=reader)
        assert len(row["books"]) == 6
