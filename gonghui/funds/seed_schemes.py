"""The seed schemes (DOMAIN.md "Subsidy schemes"), as the data a union would type: the demo loads them and the
formula tests check each at its boundaries. Figures marked 演示假设 are not in the seeds and only fill a bound."""

from __future__ import annotations

import datetime as dt

NEW_FORM_GROUPS = ["truck_driver", "ride_hailing", "courier", "food_delivery"]

SHENYANG = [
    {
        "code": "SY-XM",
        "name": "新就业形态服务项目一次性补贴",
        "category": "project",
        "applicant": "org",
        "period_start": dt.date(2021, 8, 1),
        "period_end": dt.date(2022, 10, 31),
        "eligible_kinds": ["county"],
        "formula": {"type": "cost_share", "rate": "0.60", "cap": "100000"},
        "documents": ["项目实施方案", "费用明细及票据", "市总工会评审意见"],
        "once_per": "none",
        "note": "区（县）总工会开展新就业形态劳动者服务项目，经市总工会评审后给予一次性补贴，"
        "不超过项目费用的 60%，最高 10 万元。",
    },
    {
        "code": "SY-SD",
        "name": "新就业形态试点基层工会工作经费补助",
        "category": "new_form",
        "applicant": "org",
        "period_start": dt.date(2021, 8, 1),
        "period_end": dt.date(2022, 10, 31),
        "reference_date": dt.date(2022, 6, 30),
        "eligible_kinds": ["grassroots", "joint"],
        "occupations": NEW_FORM_GROUPS,
        "formula": {"type": "per_member_above", "base": "2000", "threshold": 25, "per_member": "20"},
        "documents": ["试点工会认定文件", "会员名册（系统自动统计）"],
        "once_per": "year",
        "note": "货车司机、网约车司机、快递员、外卖送餐员试点基层工会：会员 25 人及以下 2,000 元，"
        "超过 25 人的每增加 1 人增加 20 元。",
    },
    {
        "code": "SY-JZ",
        "name": "平台企业工会优秀兼职主席、副主席补贴",
        "category": "new_form",
        "applicant": "org",
        "period_start": dt.date(2021, 8, 1),
        "period_end": dt.date(2022, 10, 31),
        "eligible_kinds": ["grassroots", "joint"],
        "formula": {
            "type": "per_person_month",
            "rate": "300",
            "persons_from": "part_time_chairs",
            "max_months": 12,
        },
        "documents": ["优秀兼职主席、副主席考核结果"],
        "once_per": "year",
        "note": "平台企业工会优秀兼职主席、副主席每人每月 300 元。",
    },
]

HUAIAN = [
    {
        "code": "HA-PX",
        "name": "紧缺职业（工种）技能培训补贴",
        "category": "training",
        "applicant": "person",
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "formula": {
            "type": "banded",
            "bands": [
                {"key": "senior", "label": "高级工", "min": "1600", "max": "2000"},
                {"key": "technician", "label": "技师", "min": "3000", "max": "4000"},
                {"key": "senior_technician", "label": "高级技师", "min": "3000", "max": "4000"},
            ],
        },
        "documents": ["职业技能等级证书", "培训合格证明"],
        "once_per": "year",
        "note": "取得紧缺职业（工种）高级工证书补贴 1,600–2,000 元；技师、高级技师 3,000–4,000 元，"
        "可补贴给企业或个人。",
    },
    {
        "code": "HA-GJ",
        "name": "淮安工匠奖励",
        "category": "award",
        "applicant": "org",
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2027, 12, 31),
        "formula": {"type": "fixed", "amount": "10000"},
        "documents": ["淮安工匠命名文件"],
        "once_per": "none",
        "note": "每两年评选淮安工匠 10 名，每人奖励 1 万元（由所在单位工会申领）。",
    },
    {
        "code": "HA-DS",
        "name": "技能大师工作室补助",
        "category": "award",
        "applicant": "org",
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "formula": {
            "type": "sum",
            "parts": [
                {"label": "津贴", "formula": {"type": "fixed", "amount": "10000"}},
                {"label": "建设经费", "formula": {"type": "fixed", "amount": "40000"}},
            ],
        },
        "documents": ["技能大师工作室命名文件", "建设方案"],
        "once_per": "year",
        "note": "每年命名技能大师工作室 5 个，每个给予 1 万元津贴和 4 万元建设经费。",
    },
    {
        "code": "HA-LM",
        "name": "示范性劳模创新工作室补助",
        "category": "award",
        "applicant": "org",
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "formula": {"type": "fixed", "amount": "20000"},
        "documents": ["劳模创新工作室命名文件"],
        "once_per": "year",
        "note": "示范性劳模创新工作室每个补助 2 万元。",
    },
]

GUANGXI = [
    {
        "code": "GX-XJ",
        "name": "县级工会工作经费补助",
        "category": "grassroots",
        "applicant": "org",
        "period_start": dt.date(2023, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "eligible_kinds": ["county"],
        "formula": {"type": "fixed", "amount": "100000"},
        "documents": ["年度工作计划"],
        "once_per": "year",
        "note": "全区 111 个县级工会每个补助 10 万元。",
    },
    {
        "code": "GX-SG",
        "name": "社会化工会工作者经费",
        "category": "social_worker",
        "applicant": "org",
        "period_start": dt.date(2023, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "eligible_kinds": ["county", "township"],
        "formula": {"type": "per_person_month", "rate": "3175", "max_months": 12},
        "documents": ["社会化工会工作者聘用合同", "考勤及考核记录"],
        "once_per": "year",
        # 1.0587亿 for 927 workers over three years ≈ 3,175 元 per person per month.
        "note": "新增 927 名社会化工会工作者（1.0587 亿元），全区约 2,600 名，覆盖每个乡镇（街道）。",
    },
    {
        "code": "GX-MF",
        "name": "模范乡镇（街道）工会、新就业形态示范点奖补",
        "category": "new_form",
        "applicant": "org",
        "period_start": dt.date(2023, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "eligible_kinds": ["township", "grassroots", "joint"],
        # 演示假设: the seeds give the counts (50 + 100 a year), not the award; the range is the demo's.
        "formula": {"type": "range", "min": "20000", "max": "50000"},
        "documents": ["评选结果文件"],
        "once_per": "year",
        "note": "每年评选 50 个模范乡镇（街道）工会、100 个新就业形态示范点，由审核人在区间内核定奖补金额。",
    },
]

ALL = {"沈阳": SHENYANG, "淮安": HUAIAN, "广西": GUANGXI}


def seed(code: str) -> dict:
    for schemes in ALL.values():
        for scheme in schemes:
            if scheme["code"] == code:
                return scheme
    raise KeyError(code)
