"""Claims of a year computed in date order against one deductible and one cap; review, pay, the 五个一."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.core.audit import AuditEvent
from gonghui.core.errors import DomainError
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import FollowUp, MutualAidClaim

from .conftest import SHANGHAI, bill, product_input, stay

pytestmark = pytest.mark.django_db


def _file(personas, s, files=None):
    return services.claim_file(actor=personas.worker, data=s, files=files if files is not None else [bill()])


def test_a_member_files_a_stay_with_a_photo_and_sees_every_step(personas, enrolment, media, sms_outbox):
    claim = _file(personas, stay(dt.date(2025, 3, 2), 10, "81000"))
    assert claim.status == MutualAidClaim.Status.SUBMITTED and claim.channel == "worker"
    assert claim.payout == D("37000.00")
    assert [b["share"] for b in claim.breakdown["bands"]] == ["3000.00", "16000.00", "18000.00"]
    assert claim.photos.count() == 1 and claim.org == personas.tree.grassroots
    assert claim.number.startswith("HZ20251220")


def test_a_member_must_send_photos_of_the_bills(personas, enrolment, media):
    with pytest.raises(DomainError) as exc:
        _file(personas, stay(dt.date(2025, 3, 2), 3, "5000"), files=[])
    assert exc.value.field == "photos"
    text = SimpleUploadedFile("发票.jpg", b"just text dressed as a photo", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        _file(personas, stay(dt.date(2025, 3, 2), 3, "5000"), files=[text])
    assert exc.value.code == "file_type"
    assert not MutualAidClaim.objects.exists()


def test_a_stay_outside_any_cover_is_refused_naming_the_date(personas, enrolment, media):
    with pytest.raises(DomainError) as exc:
        _file(personas, stay(dt.date(2024, 12, 20), 3, "5000"))
    assert exc.value.code == "not_covered" and "2024-12-20" in exc.value.message


def test_an_earlier_claim_withdrawn_and_the_later_one_recomputed(personas, enrolment, media):
    first = _file(personas, stay(dt.date(2025, 2, 1), 4, "3000"))
    second = _file(personas, stay(dt.date(2025, 5, 1), 6, "3000"))
    # The first stay takes the whole deductible: 2,000 × 30 % = 600; the second starts past it: 900.
    assert first.payout == D("600.00")
    second.refresh_from_db()
    assert second.payout == D("900.00") and second.breakdown["deductible_taken"] == "0.00"

    services.claim_withdraw(actor=personas.worker, claim=first, reason="重复提交")
    first.refresh_from_db()
    assert first.payout == D("0.00") and first.breakdown == {}  # the page says 未计入本年度
    second.refresh_from_db()
    assert second.breakdown["deductible_taken"] == "1000.00"
    assert second.payout == D("600.00")


def test_a_stay_filed_late_but_earlier_in_the_year_is_computed_first(personas, enrolment, media):
    later = _file(personas, stay(dt.date(2025, 6, 1), 2, "1200"))
    assert later.payout == D("100.00")  # 200 × 30 % = 60, raised to 100
    earlier = _file(personas, stay(dt.date(2025, 1, 10), 5, "800"))
    later.refresh_from_db()
    assert earlier.payout == D("150.00") and earlier.breakdown["method"] == "allowance"
    # Only 200 元 of deductible is left for the June stay: 1,000 × 30 % = 300.
    assert later.breakdown["deductible_taken"] == "200.00" and later.payout == D("300.00")


def test_the_yearly_cap_is_reached_on_the_second_claim_the_seed_case(personas, enrolment, media):
    """The 广西 worker: two stays, 125万 self-paid in the year, paid the year's maximum of 100万."""
    first = _file(personas, stay(dt.date(2025, 4, 3), 35, "800000"))
    second = _file(personas, stay(dt.date(2025, 7, 15), 28, "450000"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.payout == D("678050.00")
    assert second.breakdown["before_cap"] == "427500.00" and second.breakdown["cap_applied"]
    assert second.payout == D("321950.00")
    assert first.payout + second.payout == D("1000000.00")


def test_last_years_claims_keep_last_years_rules(personas, province_admin, media):
    """A product change between years: 2024 had no minimum and no allowance, 2025 has both."""
    with time_machine.travel(dt.datetime(2025, 12, 20, 10, tzinfo=SHANGHAI), tick=True):
        old = services.product_create(
            actor=province_admin,
            org=personas.tree.province,
            data=product_input(2024, minimum_payout="0", allowance_per_day="0", allowance_max_days=0),
        )
        new = services.product_create(
            actor=province_admin, org=personas.tree.province, data=product_input(2025)
        )
        for p in (old, new):
            services.enrolment_create(
                actor=personas.county_staffer, product=p, member_ids=[personas.member.pk]
            )
        claim_2024 = _file(personas, stay(dt.date(2024, 9, 1), 2, "1200"))
        claim_2025 = _file(personas, stay(dt.date(2025, 9, 1), 2, "1200"))
        small_2024 = _file(personas, stay(dt.date(2024, 10, 1), 5, "0.00"))
        assert claim_2024.enrolment.product == old and claim_2024.payout == D("60.00")
        assert claim_2025.enrolment.product == new and claim_2025.payout == D("100.00")
        assert small_2024.payout == D("0.00")

        # Withdrawing the 2025 stay recomputes 2025 only.
        services.claim_withdraw(actor=personas.worker, claim=claim_2025)
        claim_2024.refresh_from_db()
        assert claim_2024.payout == D("60.00")


def test_review_pay_and_the_five_ones(
    personas, enrolment, media, sms_outbox, django_capture_on_commit_callbacks
):
    claim = _file(personas, stay(dt.date(2025, 3, 2), 10, "81000"))
    staff = personas.grassroots_admin
    services.claim_approve(actor=staff, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_pay(actor=staff, claim=claim)
    claim.refresh_from_db()
    assert claim.status == "paid" and claim.paid_amount == D("37000.00")
    assert any("37,000.00" in text for _, text in sms_outbox)
    items = {f.item: f for f in claim.follow_ups.all()}
    assert set(items) == set(FollowUp.Item.values)
    assert items["sms"].done_at is not None and items["call"].done_at is None

    follow = services.follow_up_tick(actor=staff, claim=claim, item="call", note="电话问候，已出院在家休养")
    assert follow.done_by_label == "李桂兰"
    with pytest.raises(DomainError) as exc:
        services.follow_up_tick(actor=staff, claim=claim, item="call")
    assert exc.value.code == "already_done"
    with pytest.raises(DomainError):
        services.claim_withdraw(actor=personas.worker, claim=claim)


def test_a_correction_before_payment_recomputes_the_year_and_is_audited(personas, enrolment, media):
    first = _file(personas, stay(dt.date(2025, 2, 1), 4, "3000"))
    second = _file(personas, stay(dt.date(2025, 5, 1), 6, "3000"))
    services.claim_update(
        actor=personas.grassroots_admin,
        claim=first,
        data=stay(dt.date(2025, 2, 1), 4, "500"),
        reason="发票金额看错",
    )
    second.refresh_from_db()
    assert second.breakdown["deductible_taken"] == "500.00" and second.payout == D("750.00")
    assert AuditEvent.objects.filter(action="mutual_aid.claim_update", object_id=str(first.pk)).exists()


def test_a_paid_stay_keeps_what_was_paid_and_shows_the_difference(personas, enrolment, media):
    later = _file(personas, stay(dt.date(2025, 6, 1), 5, "3000"))
    services.claim_approve(actor=personas.grassroots_admin, claim=later)
    services.claim_pay(actor=personas.grassroots_admin, claim=later)
    services.claim_file(
        actor=personas.grassroots_admin,
        data=stay(dt.date(2025, 1, 5), 3, "2000"),
        member_id=personas.member.pk,
    )
    later.refresh_from_db()
    assert later.paid_amount == D("600.00") and later.payout == D("900.00")
    assert later.difference == D("300.00")


def test_accident_cover_follows_the_product(personas, province_admin, media, clock):
    product = services.product_create(
        actor=province_admin, org=personas.tree.province, data=product_input(2025, covers_accident=False)
    )
    services.enrolment_create(actor=personas.county_staffer, product=product, member_ids=[personas.member.pk])
    with pytest.raises(DomainError) as exc:
        _file(personas, stay(dt.date(2025, 3, 2), 3, "5000", kind="accident"))
    assert exc.value.code == "accident_not_covered" and exc.value.field == "kind"


def test_the_same_stay_twice_is_refused(personas, enrolment, media):
    _file(personas, stay(dt.date(2025, 3, 2), 3, "5000"))
    with pytest.raises(DomainError) as exc:
        _file(personas, stay(dt.date(2025, 3, 2), 3, "5000"))
    assert exc.value.code == "duplicate_stay"


def test_enrolment_checks_who_may_join(personas, province_admin, clock):
    from gonghui.testing.factories import make_member

    product = services.product_create(
        actor=province_admin, org=personas.tree.province, data=product_input(2025, eligibility="new_form")
    )
    office = make_member(personas.tree.grassroots, name="赵会计", employment_form="standard")
    created, problems = services.enrolment_create(
        actor=personas.county_staffer,
        product=product,
        member_ids=[personas.member.pk, office.pk],
        paid_by="donated",
        donated_as="craftsman",
    )
    assert [e.member for e in created] == [personas.member]
    assert created[0].donated_as == "craftsman" and created[0].certificate_no.startswith("HZ2025")
    assert problems == ["赵*计：本产品只面向新就业形态劳动者"]
    with pytest.raises(DomainError) as exc:
        services.enrolment_create(
            actor=personas.county_staffer, product=product, member_ids=[office.pk], paid_by="donated"
        )
    assert exc.value.field == "donated_as"


def test_a_new_year_is_a_new_product_not_an_edit(personas, province_admin, product):
    with pytest.raises(DomainError) as exc:
        services.product_create(actor=province_admin, org=personas.tree.province, data=product_input(2025))
    assert exc.value.status == 409 and "下一年度" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.product_create(
            actor=province_admin,
            org=personas.tree.province,
            data=product_input(
                2026,
                bands=[
                    {"lower": "0", "upper": "10000", "rate": "0.3"},
                    {"lower": "20000", "upper": None, "rate": "0.5"},
                ],
            ),
        )
    assert exc.value.code == "band_gap" and "10,000" in exc.value.message


def test_an_auditor_reads_but_does_not_approve_and_a_member_withdraws_only_before_review(
    personas, enrolment, media
):
    claim = _file(personas, stay(dt.date(2025, 3, 2), 10, "81000"))
    with pytest.raises(DomainError) as exc:
        services.claim_approve(actor=personas.county_auditor, claim=claim)
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        services.claim_approve(actor=personas.sibling_staffer, claim=claim)
    assert exc.value.status == 404
    services.claim_approve(actor=personas.grassroots_admin, claim=claim)
    with pytest.raises(DomainError) as exc:
        services.claim_withdraw(actor=personas.worker, claim=claim)
    assert exc.value.code == "status"
    claim.refresh_from_db()
    assert claim.status == "approved"
