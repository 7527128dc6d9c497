"""The occupation glossary: the one home of the occupations every app offers, counts and routes by.

Codes are stored in the database (members, station visits, campaign targeting); labels are what people read.
Order matters: the 八大群体 that the ACFTU campaigns to bring into the union come first (货车司机, 快递员,
护工护理员, 家政服务员, 商场信息员, 网约送餐员, 房产中介员, 保安员), then 网约车司机, then ordinary jobs."""

OCCUPATIONS = [
    ("truck_driver", "货车司机"),
    ("courier", "快递员"),
    ("caregiver", "护工护理员"),
    ("housekeeper", "家政服务员"),
    ("mall_informant", "商场信息员"),
    ("food_delivery", "网约送餐员"),
    ("real_estate_agent", "房产中介员"),
    ("security_guard", "保安员"),
    ("ride_hailing", "网约车司机"),
    ("factory_worker", "生产工人"),
    ("construction_worker", "建筑工人"),
    ("office_clerk", "办公室职员"),
    ("teacher", "教师"),
    ("medical", "医务人员"),
    ("service", "服务业人员"),
    ("other", "其他"),
]
OCCUPATION_LABELS = dict(OCCUPATIONS)
OCCUPATION_BY_LABEL = {label: code for code, label in OCCUPATIONS}

# 八大群体: the eight groups of the ACFTU's membership drive.
PRIORITY_GROUPS = frozenset(code for code, _ in OCCUPATIONS[:8])

# Work found through a platform (新就业形态): the employment form a new member gets unless they say otherwise.
# 护工 and 家政 may be either, so they are asked.
NEW_FORM_OCCUPATIONS = frozenset({"truck_driver", "courier", "food_delivery", "ride_hailing"})

# Workers on the road, with no fixed workplace: routed by residence, phone and routes, not by employer.
MOBILE_OCCUPATIONS = frozenset({"truck_driver", "ride_hailing"})


def occupation_label(code: str) -> str:
    return OCCUPATION_LABELS.get(code, "")
