"""Which union handles a worker: one rule (orgs.selectors.worker_union) for members and cases,
with the cases where members/routing.py and cases/routing.py used to disagree (docs/routing.md)."""

import pytest

from gonghui.cases import routing as case_routing
from gonghui.core.errors import DomainError
from gonghui.members import routing as member_routing
from gonghui.orgs import selectors
from gonghui.orgs.models import Org
from gonghui.testing.factories import make_org


def applicant(**fields):
    base = dict(employer_name="某某", occupation="housekeeper", id_region="141125", phone="+8613912340001")
    base.update(fields)
    return member_routing.Applicant(**base)


@pytest.mark.parametrize(
    "typed",
    [
        "山西吕梁柳林县预石运输有限责任公司",
        "山西吕梁柳林县预石运输有限公司",
        "山西吕梁柳林县预石运输公司",
        "山西吕梁柳林县预石运输",
        "柳林县预石运输有限责任公司",  # the union's name holds it
        "山西吕梁柳林县预石运输有限责任公司柳林分公司",  # a branch of it
    ],
)
def test_the_employer_union_is_found_whatever_the_suffix(personas, typed):
    assert selectors.employer_union(typed) == personas.tree.grassroots


def test_members_and_cases_agree_on_the_employer_union(personas):
    # Before: members matched "name contains" (found it), cases matched "starts with" (did not), so a
    # claim could be passed to the employer's own union.
    typed = "柳林县预石运输有限责任公司"
    route = member_routing.route(applicant(employer_name=typed, occupation="truck_driver"))
    assert route.org == personas.tree.grassroots
    assert personas.tree.grassroots.pk in case_routing.employer_union_ids(typed)


def test_a_township_is_never_found_by_the_county_code(personas):
    # Before: with no county union, members took a township carrying the county's code and cases took
    # the city. Now both take the city.
    tree = personas.tree
    tree.county.is_active = False
    tree.county.save()
    member_route = member_routing.route(applicant(work_region="141125"))
    case_route = case_routing.route_case(region="141125", township=None, large=False, excluded=set())
    assert member_route.org == case_route.org == tree.city


def test_a_similar_name_is_only_a_suggestion(personas):
    matches = selectors.employer_matches("柳林预石物流")
    assert matches and matches[0].org == personas.tree.grassroots and matches[0].score < selectors.MATCH_SCORE
    assert selectors.employer_union("柳林预石物流") is None


def test_a_platform_without_a_union_goes_to_the_place_the_worker_picked(personas):
    # A 货拉拉 driver with a Beijing ID (no union in Beijing): the picked workplace decides.
    route = member_routing.route(
        applicant(employer_name="货拉拉", occupation="truck_driver", id_region="110105", work_region="141100")
    )
    assert route.org == personas.tree.city and "工作地" in route.reason


def test_no_union_anywhere_asks_for_the_place(personas):
    with pytest.raises(DomainError) as exc:
        member_routing.route(applicant(employer_name="货拉拉", occupation="truck_driver", id_region="110105"))
    assert exc.value.field == "work_region" and "省、市、县" in exc.value.message


def test_claims_take_the_workplace_and_list_the_employer_unions(personas):
    route = selectors.worker_union(
        purpose="claim", employer_name="山西吕梁柳林县预石运输公司", work_region="141125", id_region="110105"
    )
    assert route.org == personas.tree.county and personas.tree.grassroots.pk in route.excluded


def test_region_pick_keeps_only_consistent_levels():
    assert selectors.region_pick(province="140000", city="141100", county="141125") == "141125"
    assert selectors.region_pick(province="140000", city="141100", county="110105") == "141100"
    assert selectors.region_pick(province="140000", city="120100", county="") == "140000"
    assert selectors.region_pick(province="990000") == ""


def test_region_choices_list_the_levels_below_the_choice(personas):
    choices = selectors.region_choices(province="110000", city="110100")
    assert ("110000", "北京市") in choices["provinces"]
    assert ("110100", "北京市") in choices["cities"] and ("110105", "朝阳区") in choices["counties"]


def test_my_location_finds_the_nearest_county_union(personas):
    tree = personas.tree
    Org.objects.filter(pk=tree.county.pk).update(lat=37.43, lng=110.89)
    assert selectors.region_near(lat=37.45, lng=110.9) == "141125"
    assert selectors.region_near(lat=39.9, lng=116.4) == ""  # Beijing: no union near


def test_reassign_targets_put_the_applicants_place_first(personas):
    tree = personas.tree
    far = make_org(tree.sibling_county, Org.Kind.GRASSROOTS, "太原货运工会", region_code="140105")
    near = make_org(tree.county, Org.Kind.GRASSROOTS, "柳林货运工会", region_code="141125")
    targets = selectors.reassign_targets(q="货运", near_region="141125")
    assert targets.index(near) < targets.index(far)
    assert selectors.reassign_targets(q="", near_region="") == []
