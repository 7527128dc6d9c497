from gonghui.core import glossary
from gonghui.members.models import Member


def test_the_eight_groups_come_first_and_ride_hailing_drivers_follow():
    labels = [label for _, label in glossary.OCCUPATIONS]
    assert labels[:9] == [
        "货车司机",
        "快递员",
        "护工护理员",
        "家政服务员",
        "商场信息员",
        "网约送餐员",
        "房产中介员",
        "保安员",
        "网约车司机",
    ]
    assert len(glossary.PRIORITY_GROUPS) == 8 and "ride_hailing" not in glossary.PRIORITY_GROUPS


def test_the_sets_are_made_of_glossary_codes():
    codes = set(glossary.OCCUPATION_LABELS)
    assert (
        codes >= glossary.NEW_FORM_OCCUPATIONS
        and glossary.MOBILE_OCCUPATIONS <= glossary.NEW_FORM_OCCUPATIONS
    )
    assert glossary.OCCUPATION_BY_LABEL["网约车司机"] == "ride_hailing"
    assert glossary.occupation_label("courier") == "快递员" and glossary.occupation_label("astronaut") == ""


def test_the_member_form_offers_exactly_the_glossary():
    assert Member._meta.get_field("occupation").choices == glossary.OCCUPATIONS
