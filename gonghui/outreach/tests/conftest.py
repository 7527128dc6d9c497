import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock():
    """A controlled clock: clock(2027, 3, 10) stands the time still at 10:00 Shanghai that day."""
    travellers = []

    def stand(year, month, day, hour=10):
        traveller = time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=SHANGHAI), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield stand
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def industry(personas):
    """柳林县货运行业工会联合会 under the county, with its own admin."""
    from gonghui.orgs.models import Org, Staff
    from gonghui.testing.factories import make_org, make_staff

    org = make_org(personas.tree.county, Org.Kind.INDUSTRY, "柳林县货运行业工会联合会", region_code="141125")
    admin = make_staff(org, Staff.Role.ADMIN, name="郝行业")
    return org, admin


WAGE_VISIT = {
    "enterprise_name": "柳林县某装饰材料有限公司",
    "visitors": "职工服务中心 张律师",
    "rules_advised": 3,
    "rules_improved": 1,
    "items": [
        {"topic": "contract", "result": "ok"},
        {
            "topic": "wages",
            "result": "problem",
            "note": "离职职工何某军在岗期间工资未发放",
            "worker_name": "何某军",
            "workers_affected": 1,
            "amount": "8600",
        },
        {"topic": "social_insurance", "result": "problem", "note": "2 名职工未参保"},
    ],
}
