"""统计看板 demo: the facts rebuilt over the whole demo data set (so the dashboards show figures at once),
the seed articles' targets and denominators, and one union's public page.

预石运输工会 aims at 1,300 members (the seed story: from 300 to 1,300); 柳林县总 aims at a new-form share
of 6.5 % (淮北's figure) and 2,000 new members this year; the 柳林 drivers' union counts its eligible drivers
(天津's platform union: 3.96万 members among 4万 drivers)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min
from django.utils import timezone

from gonghui.members.models import Member
from gonghui.orgs.models import Org
from gonghui.stats.models import Denominator, PublicBoard, Target
from gonghui.stats.rollup import rebuild


def load(*, stdout) -> None:
    today = timezone.localdate()
    first = Member.objects.aggregate(m=Min("joined_at"))["m"] or today
    result = rebuild(min(first, today - dt.timedelta(days=400)), today)
    year = dt.date(today.year, 1, 1)
    county = Org.objects.filter(short_name="柳林县总").first()
    yushi = Org.objects.filter(short_name="预石运输工会").first()
    if yushi is not None:
        Target.objects.get_or_create(
            org=yushi,
            kind=Target.Kind.NEW_MEMBERS,
            start=year,
            defaults={"value": 1000, "due": dt.date(today.year, 12, 31), "note": "会员从300人发展到1300人"},
        )
        Denominator.objects.get_or_create(
            org=yushi, as_of=year, defaults={"eligible": 1500, "source": "公司在册司机（人事部门提供）"}
        )
        PublicBoard.objects.get_or_create(
            org=yushi,
            defaults={"enabled": True, "figures": ["members", "joins", "new_form_share", "cases_recovered"]},
        )
    if county is not None:
        Target.objects.get_or_create(
            org=county,
            kind=Target.Kind.NEW_FORM_SHARE,
            start=year,
            defaults={
                "value": 65,
                "due": dt.date(today.year, 12, 31),
                "note": "新就业形态会员占实名会员6.5%",
            },
        )
        Target.objects.get_or_create(
            org=county,
            kind=Target.Kind.NEW_MEMBERS,
            start=year,
            defaults={"value": 2000, "due": dt.date(today.year, 12, 31)},
        )
    stdout.write(
        f"统计看板：已汇总 {result['months']} 个月，{result['facts']} 条本级数据，{result['month_rows']} 条含下级汇总"
    )
