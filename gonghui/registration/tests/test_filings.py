"""The five types through approval, the authority from the tree, credit-code and legal-rep checks,
the signed PDF (valid, tampered) and the public status of each number."""

import datetime as dt

import pytest

from gonghui.core.errors import Conflict, DomainError, Forbidden
from gonghui.core.models import Notification
from gonghui.orgs.models import Staff
from gonghui.registration import services, signing
from gonghui.registration.models import Certificate, Filing
from gonghui.testing.factories import make_staff

from .conftest import CODE, at

pytestmark = pytest.mark.django_db


def test_apply_goes_to_the_county_by_the_tree_and_issues_a_signed_certificate(world):
    with at(2026, 3, 2):
        filing = world.apply()
        # The township union sits between; the registering authority is the county (county-level or higher).
        assert filing.authority == world.county
        assert filing.due_date == dt.date(2026, 3, 16)  # 10 working days
        assert Notification.objects.filter(user=world.approver, title__contains="申请登记").exists()
        cert = world.approve(filing)
    assert cert.number.startswith("1411252026")
    assert cert.valid_from == dt.date(2026, 3, 1) and cert.valid_until == dt.date(2031, 2, 28)
    pdf = bytes(Certificate.objects.get(pk=cert.pk).pdf)
    assert pdf.startswith(b"%PDF")
    result = signing.validate(pdf, world.county)
    assert result == {**result, "intact": True, "valid": True, "trusted": True}
    assert "柳林县总工会" in result["signer"]
    world.union.refresh_from_db()
    assert world.union.credit_code == CODE
    with at(2026, 3, 3):
        assert services.certificate_status(cert.number)["status"] == "valid"


def test_a_tampered_pdf_fails_the_signature_validator(world):
    cert = world.registered()
    pdf = bytearray(Certificate.objects.get(pk=cert.pk).pdf)
    at_ = pdf.index(b"/Author")
    pdf[at_ + 10] ^= 0x01  # one byte of the signed content changed
    assert signing.validate(bytes(pdf), world.county)["intact"] is False
    # And a certificate signed by another authority's key is not trusted as the county's.
    other = signing.sign_pdf(signing.render_pdf(cert), world.p.tree.sibling_county)
    assert signing.validate(other, world.county)["trusted"] is False


def test_authority_is_the_nearest_county_or_higher_never_the_township(world, tree):
    assert services.authority_for(tree.grassroots) == tree.county
    assert services.authority_for(tree.sibling_grassroots) == tree.sibling_county


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("81141125MA0Y5T2K", "credit_length"),
        ("81141125MA0Y5T2KIX", "credit_format"),
        (CODE[:-1] + ("0" if CODE[-1] != "0" else "1"), "credit_checksum"),
        ("", "credit_required"),
    ],
)
def test_credit_code_errors_name_the_field(world, code, error):
    with at(2026, 3, 2), pytest.raises(DomainError) as exc:
        world.apply(credit_code=code)
    assert exc.value.code == error and exc.value.field == "credit_code"
    assert not Filing.objects.exists()


def test_a_non_union_credit_code_is_refused(world):
    from gonghui.core.validators import make_credit_code

    with at(2026, 3, 2), pytest.raises(DomainError) as exc:
        world.apply(credit_code=make_credit_code("91141125MA0Y5T2K1"))
    assert exc.value.code == "credit_not_union"


def test_legal_rep_must_hold_a_position_and_term_is_3_to_5_years(world):
    with at(2026, 3, 2):
        with pytest.raises(DomainError) as exc:
            world.apply(legal_rep="张三")
        assert exc.value.code == "legal_rep_no_position"
        with pytest.raises(DomainError) as exc:
            world.apply(term_end=dt.date(2028, 2, 28))
        assert exc.value.code == "term_length"
        with pytest.raises(DomainError) as exc:
            world.apply(documents=["成立批复"])
        assert exc.value.code == "documents_missing" and "工会章程" in exc.value.message


def test_change_retires_the_old_certificate_and_the_30_day_rule_flags_late_filings(world):
    cert = world.registered()
    make_staff(world.union, Staff.Role.ADMIN, name="王卫东")
    with at(2026, 6, 10):
        late = world.file(Filing.Kind.CHANGE, legal_rep="王卫东", change_date=dt.date(2026, 5, 10))
        assert late.late is True  # 31 days after the change
        new = world.approve(late)
    assert new.legal_rep == "王卫东" and new.valid_until == cert.valid_until
    with at(2026, 6, 11):
        assert services.certificate_status(cert.number)["status"] == "changed"
        assert services.certificate_status(new.number)["status"] == "valid"
        on_time = world.file(
            Filing.Kind.CHANGE, address="柳林县新城路 1 号", change_date=dt.date(2026, 5, 12)
        )
        assert on_time.late is False  # 30 days after the change


def test_renewal_only_within_30_days_before_expiry(world):
    cert = world.registered()  # valid until 2031-02-28
    renew = {"term_start": dt.date(2031, 3, 1), "term_end": dt.date(2036, 2, 29)}
    with at(2031, 1, 28), pytest.raises(DomainError) as exc:
        world.file(Filing.Kind.RENEW, **renew)
    assert exc.value.code == "renew_too_early" and "2031-01-29" in exc.value.message
    with at(2031, 1, 29):
        new = world.approve(world.file(Filing.Kind.RENEW, **renew))
    assert new.valid_until == dt.date(2036, 2, 29)
    with at(2031, 3, 2):
        assert services.certificate_status(cert.number)["status"] == "renewed"
        assert services.certificate_status(new.number)["status"] == "valid"


def test_replaced_certificates_old_number_reports_replaced(world, api):
    cert = world.registered()
    with at(2026, 8, 3):
        new = world.approve(world.file(Filing.Kind.REPLACE, reason="证书遗失"))
        body = api().get(f"/api/v1/registration/certificates/verify/{cert.number}").json()
    assert body["status"] == "replaced" and body["superseded_by"] == new.number
    assert new.number != cert.number and new.valid_until == cert.valid_until


def test_cancel_ends_the_registration_and_the_union_may_apply_again(world):
    cert = world.registered()
    with at(2027, 1, 4):
        assert world.approve(world.file(Filing.Kind.CANCEL, reason="企业注销，工会撤销")) is None
        assert services.certificate_status(cert.number)["status"] == "cancelled"
        assert services.valid_certificate(world.union) is None
        world.apply(term_start=dt.date(2027, 1, 1), term_end=dt.date(2030, 12, 31))


def test_certificate_past_its_validity_reports_expired(world):
    cert = world.registered()
    with at(2031, 3, 1):
        assert services.certificate_status(cert.number)["status"] == "expired"
    assert services.certificate_status("NOPE")["status"] == "not_found"


def test_return_for_correction_then_resubmit_and_no_double_approval(world):
    with at(2026, 3, 2):
        filing = world.apply()
        with pytest.raises(DomainError):
            services.filing_return(actor=world.approver, filing=filing, items=[" "])
        services.filing_return(actor=world.approver, filing=filing, items=["住所证明已过期，请补充租赁合同"])
        filing.refresh_from_db()
        assert filing.status == Filing.Status.RETURNED
        assert Notification.objects.filter(user=world.filer, body__contains="租赁合同").exists()
        services.filing_resubmit(actor=world.filer, filing=filing, address="柳林县青龙路 20 号")
        filing.refresh_from_db()
        assert filing.status == Filing.Status.SUBMITTED and filing.address == "柳林县青龙路 20 号"
        world.approve(filing)
        with pytest.raises(Conflict):
            world.approve(filing)
    assert Certificate.objects.count() == 1


def test_only_the_registering_authority_approves(world):
    with at(2026, 3, 2):
        filing = world.apply()
        with pytest.raises(Forbidden):
            services.filing_approve(actor=world.p.city_staffer, filing=filing)
        with pytest.raises(Forbidden):
            services.filing_approve(actor=world.filer, filing=filing)
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED
