from decimal import Decimal

import pytest

from gonghui.cases import routing, services
from gonghui.cases.models import Case
from gonghui.core.errors import DomainError
from gonghui.orgs.models import Org
from gonghui.testing.factories import make_org

from .conftest import wage_input


def test_individual_claim_goes_to_the_workplace_township(personas, file_case):
    case = file_case()
    assert case.org == personas.tree.township
    assert case.supervising_org is None
    assert case.status == Case.Status.SUBMITTED


def test_without_a_township_the_county_handles_it(personas, file_case):
    case = file_case(workplace_township_id=None)
    assert case.org == personas.tree.county


def test_collective_claim_is_handled_by_the_county_with_the_city_supervising(personas):
    data = wage_input(
        personas.tree,
        amount_claimed=None,
        claimants=[services.ClaimantInput(f"工友{i}", "", "3000") for i in range(12)],
    )
    case = services.case_file(actor=personas.worker, data=data)
    assert (case.org, case.supervising_org) == (personas.tree.county, personas.tree.city)
    assert case.is_collective and case.amount_claimed == Decimal("36000.00")
    assert case.difficulty == Case.Difficulty.HARD
    assert case.steps.filter(kind="routed", body__contains="督办").exists()


def test_large_amount_goes_to_the_county(personas, file_case, settings):
    settings.GONGHUI_CASES_LARGE_AMOUNT = "100000"
    case = file_case(amount_claimed="150000")
    assert case.org == personas.tree.county and case.supervising_org == personas.tree.city


def test_never_routed_to_the_employers_own_union(personas):
    tree = personas.tree
    # A development-zone enterprise whose own union sits where the territorial union would be.
    zone = make_org(tree.county, Org.Kind.TOWNSHIP, "柳林县鑫飞煤业有限公司工会委员会", region_code="141125")
    zone.kind = Org.Kind.JOINT
    zone.save()
    excluded = routing.employer_union_ids("柳林县鑫飞煤业有限公司")
    assert zone.pk in excluded
    route = routing.route_case(region="141125", township=None, large=False, excluded={tree.county.pk})
    assert route.org == tree.city and "避开用人单位本单位工会" in route.reason


def test_the_filers_own_union_is_the_employers_union(personas):
    member = personas.member
    member.employer_name = "山西吕梁柳林县预石运输有限责任公司"
    member.save()
    ids = routing.employer_union_ids("山西吕梁柳林县预石运输有限责任公司", filer=personas.worker)
    assert personas.tree.grassroots.pk in ids


def test_transfer_to_the_employers_own_union_is_refused(personas, file_case):
    case = file_case(employer_name="山西吕梁柳林县预石运输有限责任公司")
    with pytest.raises(DomainError) as exc:
        services.case_transfer(
            actor=personas.county_staffer,
            case=case,
            org_id=personas.tree.grassroots.pk,
            reason="请企业工会处理",
        )
    assert "本单位工会" in exc.value.message
    case.refresh_from_db()
    assert case.org == personas.tree.township


def test_transfer_within_scope_with_reason(personas, file_case):
    case = file_case()
    with pytest.raises(DomainError) as exc:
        services.case_transfer(
            actor=personas.county_staffer, case=case, org_id=personas.tree.county.pk, reason=" "
        )
    assert exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        services.case_transfer(
            actor=personas.county_staffer,
            case=case,
            org_id=personas.tree.sibling_county.pk,
            reason="不属本县",
        )
    assert exc.value.field == "org"
    services.case_transfer(
        actor=personas.county_staffer,
        case=case,
        org_id=personas.tree.county.pk,
        reason="涉及多个乡镇，县总直接办理",
    )
    case.refresh_from_db()
    assert case.org == personas.tree.county and case.org_path == personas.tree.county.path


def test_unknown_region_is_refused_on_the_field(personas, file_case):
    with pytest.raises(DomainError) as exc:
        file_case(workplace_region="990101", workplace_township_id=None)
    assert exc.value.field == "workplace_region"


def test_region_without_county_union_falls_back_to_the_city(personas, file_case):
    case = file_case(
        workplace_region="141102", workplace_township_id=None
    )  # 离石区: no county union in tests
    assert case.org == personas.tree.city


def test_township_outside_the_region_is_refused(personas, file_case):
    with pytest.raises(DomainError) as exc:
        file_case(workplace_region="140105")
    assert exc.value.field == "workplace_township"
