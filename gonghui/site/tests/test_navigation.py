"""The workbench sidebar lists only the pages the staffer's posts open and use; home notifications
link to the work they announce."""

import re

import pytest

from gonghui.core.notifications import notify
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_staff


def _sidebar(client):
    html = client.get("/workbench/").content.decode()
    nav = html[
        html.index('aria-label="工作台导航"') : html.index("</nav>", html.index('aria-label="工作台导航"'))
    ]
    return re.findall(r'</span>([^<]+)(?:<span class="badge">|</a>)', nav)


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            Staff.Role.ADMIN,
            {"会员名册", "入会审批", "批量导入", "诉求工单", "活动与福利券", "核销"},
            {"审计日志"},
        ),
        (
            Staff.Role.AUDITOR,
            {"审计日志", "会员名册", "诉求工单"},
            {"入会审批", "批量导入", "活动与福利券", "核销"},
        ),
        (Staff.Role.STATION_KEEPER, {"服务站点", "核销"}, {"入会审批", "批量导入", "会员名册", "审计日志"}),
        (Staff.Role.EXPERT, {"订单式服务"}, {"入会审批", "审计日志", "诉求工单", "服务站点"}),
    ],
)
def test_sidebar_lists_only_what_the_role_opens(personas, client, role, shown, hidden):
    client.force_login(make_staff(personas.tree.county, role, name="岗位测试"))
    items = set(_sidebar(client))
    assert {"工作台首页", "组织架构", "待办与通知"} <= items
    assert shown <= items, items
    assert not (hidden & items), items


def test_every_sidebar_link_opens_for_the_role(personas, client):
    for role in Staff.Role.values:
        user = make_staff(personas.tree.county, role, name=f"岗位{role}")
        client.force_login(user)
        html = client.get("/workbench/").content.decode()
        nav = html[html.index('aria-label="工作台导航"') :]
        nav = nav[: nav.index("</nav>")]
        for href in re.findall(r'href="([^"]+)"', nav):
            assert client.get(href).status_code == 200, (role, href)


def test_home_notifications_link_to_the_work(personas, client):
    notify(
        user=personas.county_staffer,
        title="有 3 份入会申请待审批",
        body="柳林镇工会提交",
        link="/workbench/members/enrollments/",
    )
    client.force_login(personas.county_staffer)
    html = client.get("/workbench/").content.decode()
    assert '<a href="/workbench/members/enrollments/">有 3 份入会申请待审批</a>' in html
