"""The workbench sidebar: one list of pages, each with the roles that work there. A staffer sees only
the pages their posts let them open and use (an auditor sees the audit log; a station keeper does not
get 入会审批 or 批量导入). A new app's workbench page is one NavItem line here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from gonghui.aid.selectors import READ_ROLES as AID_ROLES
from gonghui.campaigns.services import MANAGE_ROLES, REDEEM_ROLES
from gonghui.cases.services import READ_ROLES as CASE_ROLES
from gonghui.funds.services import FUND_ROLES
from gonghui.members.services import APPROVER_ROLES, REGISTRY_ROLES
from gonghui.mutual_aid.services import WRITE_ROLES as MUTUAL_AID_ROLES
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import roles_held
from gonghui.outreach.selectors import READ_ROLES as OUTREACH_ROLES
from gonghui.proposals.services import MANAGER_ROLES as PROPOSAL_ROLES
from gonghui.service_orders.services import MANAGERS as ORDER_ROLES
from gonghui.stations.services import EDIT_ROLES as STATION_EDIT
from gonghui.stations.services import OBSERVER_ROLES as STATION_OBSERVE

ALL = None  # every staff post


@dataclass(frozen=True)
class NavItem:
    key: str  # the view's `nav` context value, marks the current page
    label: str
    url_name: str
    icon: str
    roles: frozenset[str] | None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def _roles(*groups) -> frozenset[str]:
    return frozenset(role for group in groups for role in group)


A = Staff.Role
BENCH_NAV = [
    NavItem("home", "工作台首页", "site_bench:home", "dashboard", ALL),
    NavItem("orgs", "组织架构", "orgs_bench:tree", "tree", ALL),
    NavItem("members", "会员名册", "members_bench:list", "users", _roles(REGISTRY_ROLES, [A.AUDITOR])),
    NavItem("enrollments", "入会审批", "members_bench:enrollments", "join", _roles(APPROVER_ROLES)),
    NavItem("transfers", "会籍转接", "members_bench:transfers", "users", _roles(APPROVER_ROLES)),
    NavItem("dues", "会费", "members_bench:dues", "card", _roles(REGISTRY_ROLES)),
    NavItem("import", "批量导入", "members_bench:import", "grid", _roles(REGISTRY_ROLES)),
    NavItem("stations", "服务站点", "stations_bench:list", "pin", _roles(STATION_EDIT, STATION_OBSERVE)),
    NavItem(
        "service_orders", "订单式服务", "service_orders_bench:home", "menu", _roles(ORDER_ROLES, [A.EXPERT])
    ),
    NavItem("cases", "诉求工单", "cases_bench:inbox", "shield", _roles(CASE_ROLES)),
    NavItem("proposals", "全员改善", "proposals_bench:list", "bulb", _roles(PROPOSAL_ROLES, [A.EXPERT])),
    NavItem("drivers", "司机服务", "drivers_bench:overview", "menu", frozenset([A.ADMIN, A.HANDLER])),
    NavItem(
        "mutual_aid",
        "医疗互助",
        "mutual_aid_bench:claims",
        "heart",
        _roles(MUTUAL_AID_ROLES, [A.AUDITOR, A.OBSERVER]),
    ),
    NavItem("aid", "困难帮扶", "aid_bench:home", "users", _roles(AID_ROLES)),
    NavItem("funds", "补贴与经费", "funds_bench:home", "card", _roles(FUND_ROLES, [A.APPROVER, A.AUDITOR])),
    NavItem(
        "registration",
        "法人登记",
        "registration_bench:list",
        "card",
        _roles([A.ADMIN, A.APPROVER, A.AUDITOR]),
    ),
    NavItem("honours", "劳模工匠", "honours_bench:register", "card", ALL),
    NavItem("outreach", "走访与协商", "outreach_bench:home", "users", _roles(OUTREACH_ROLES)),
    NavItem("campaigns", "活动与福利券", "campaigns_bench:list", "ticket", _roles(MANAGE_ROLES)),
    NavItem("redeem", "核销", "campaigns_bench:redeem", "ticket", _roles(REDEEM_ROLES)),
    NavItem("inbox", "待办与通知", "site_bench:inbox", "inbox", ALL),
    NavItem("audit", "审计日志", "site_bench:audit", "audit", frozenset([A.AUDITOR])),
]


def bench_nav(user) -> list[NavItem]:
    held = roles_held(user)
    return [item for item in BENCH_NAV if item.roles is None or held & item.roles]
