"""Every figure on the dashboard, the API, the export and the public page: its label and its definition
(shown one hover or one Tab away). One list, so the page, the xlsx and docs/stats.md say the same."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    definition: str
    public: bool = True  # may a union choose to publish it


FIGURES = [
    Figure(
        "members",
        "在册会员",
        "人",
        "截至期末，本工会及全部下级工会在籍、转接中、退休或失业保留会籍的会员人数。",
    ),
    Figure(
        "new_form",
        "新就业形态会员",
        "人",
        "在册会员中就业形态为「新就业形态」的人数（按会员当前登记的就业形态）。",
    ),
    Figure(
        "new_form_share",
        "新就业形态占比",
        "%",
        "新就业形态会员 ÷ 在册会员，截至期末。",
    ),
    Figure("joins", "新入会", "人", "期间内入会（入会日期在期间内）的人数，计入其入会时的工会。"),
    Figure(
        "xfer_in",
        "转入",
        "人",
        "期间内完成会籍转接、转入本工会或下级工会的人数（同一辖区内部的转接也计入）。",
    ),
    Figure("xfer_out", "转出", "人", "期间内完成会籍转接、从本工会或下级工会转出的人数。"),
    Figure("leaves", "退会", "人", "期间内会籍状态变为已退会、视为自动退会或已故的人数。"),
    Figure("returns", "恢复会籍", "人", "期间内由退会类状态恢复为在籍的人数。"),
    Figure(
        "net_growth", "净增长", "人", "新入会 + 转入 + 恢复会籍 − 转出 − 退会；等于期末与期初在册会员之差。"
    ),
    Figure(
        "eligible",
        "应入会职工数",
        "人",
        "工会录入的辖区内可入会职工人数（如平台上的司机总数），取期末之前最近的一次录入。",
        public=False,
    ),
    Figure("join_rate", "入会率", "%", "在册会员 ÷ 应入会职工数；未录入应入会职工数时不计算。"),
    Figure(
        "approvals",
        "入会审批",
        "件",
        "期间内作出决定（批准或不予批准）的入会申请件数。",
        public=False,
    ),
    Figure(
        "approval_median",
        "审批用时中位数",
        "工作日",
        "申请到达受理工会至作出决定的工作日数（节假日与调休按工作日历）的中位数。",
    ),
    Figure(
        "approval_within",
        "限时内审批占比",
        "%",
        "作出决定的申请中，用时不超过规定工作日数（默认 15 个工作日）的比例。",
    ),
    Figure("cases_filed", "诉求工单受理", "件", "期间内提交的诉求工单件数（合并到其他工单的不计）。"),
    Figure("cases_closed", "办结", "件", "期间内办结的工单件数。"),
    Figure("cases_on_time", "按时办结率", "%", "期间内办结的工单中在办结时限内办结的比例。"),
    Figure("cases_recovered", "追回金额", "元", "期间内办结的工单登记的追回（挽回）金额合计，如追回欠薪。"),
    Figure("orders_placed", "服务点单", "单", "期间内基层工会下的订单式服务订单数（计入点单工会）。"),
    Figure("orders_served", "完成服务", "场", "期间内已服务的订单数。"),
    Figure("orders_people", "服务人次", "人次", "期间内已服务订单登记的实际服务人数合计。"),
    Figure(
        "tickets_issued",
        "发放券/名额",
        "张",
        "期间内会员领取（抢到、中签、候补递补）的福利券和课程、活动名额。",
    ),
    Figure("tickets_redeemed", "核销", "张", "期间内核销的券和名额。"),
    Figure("tickets_money", "核销金额", "元", "期间内核销的福利券面值合计（课程、活动无面值的不计金额）。"),
    Figure("stations", "服务站点", "个", "当前开放或暂停服务（未撤销）的服务站点数，按主管工会计入。"),
    Figure(
        "station_coverage",
        "站点覆盖率",
        "%",
        "辖区内乡镇（街道）工会中，本身或下级至少有一个未撤销站点的比例。",
    ),
    Figure("station_visits", "站点服务人次", "人次", "期间内服务站点登记的到站人次。"),
    Figure("aid_paid", "帮扶发放", "元", "期间内已发放批次中的帮扶资金合计，按受理工会计入。"),
    Figure("aid_people", "帮扶人次", "人次", "期间内已发放批次中的发放笔数。"),
    Figure("funds_paid", "补贴支付", "元", "期间内已支付的补贴申请核定金额合计，按申请单位计入。"),
]
BY_KEY = {f.key: f for f in FIGURES}
PUBLIC_CHOICES = [f for f in FIGURES if f.public]
