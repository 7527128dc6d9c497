"""The e-library: real PDF/EPUB files in storage, lent to an enterprise's union for a period; its members
read through the gated view while the loan runs (and not a minute after), counted without being tracked."""

import datetime as dt

import pytest
from django.test import Client

from gonghui.core.errors import Conflict, DomainError, NotFound
from gonghui.library import selectors, services
from gonghui.library.models import EBook, Loan, LoanReader, ReadingHistory
from gonghui.testing.factories import make_member, make_user

from .conftest import SH, make_epub, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(personas, collection, pdf_book, epub_book) -> Loan:
    """The county lends its collection to 预石运输 from 2026-04-23 to 2026-05-22."""
    return services.loan_create(
        actor=personas.county_staffer,
        collection=collection,
        borrower=personas.tree.grassroots,
        starts_on="2026-04-23",
        ends_on="2026-05-22",
    )


def reader(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_files_are_sniffed_not_trusted(personas, collection, pdf_book, epub_book):
    assert (pdf_book.format, epub_book.format) == ("pdf", "epub")
    assert pdf_book.file.read().startswith(b"%PDF-")
    with pytest.raises(DomainError) as exc:
        services.ebook_add(
            actor=personas.county_staffer,
            collection=collection,
            title="冒充",
            file=upload(b"<html>", "x.pdf"),
        )
    assert (exc.value.code, exc.value.field) == ("file_type", "file")
    with pytest.raises(Conflict):
        services.ebook_add(
            actor=personas.county_staffer,
            collection=collection,
            title="重复",
            file=upload(make_epub(), "again.epub"),
        )


def test_a_loan_goes_to_an_enterprise_union_below_the_lender_inside_the_licence(personas, collection, loan):
    with pytest.raises(DomainError) as exc:
        services.loan_create(
            actor=personas.county_staffer,
            collection=collection,
            borrower=personas.tree.township,
            starts_on="2026-05-01",
            ends_on="2026-05-31",
        )
    assert exc.value.code == "bad_borrower"
    with pytest.raises(DomainError) as exc:
        services.loan_create(
            actor=personas.county_staffer,
            collection=collection,
            borrower=personas.tree.grassroots,
            starts_on="2026-11-16",
            ends_on="2027-01-31",
        )
    assert (exc.value.code, exc.value.field) == ("date_too_late", "ends_on")
    with pytest.raises(Conflict) as exc:
        services.loan_create(
            actor=personas.county_staffer,
            collection=collection,
            borrower=personas.tree.grassroots,
            starts_on="2026-05-20",
            ends_on="2026-06-20",
        )
    assert exc.value.code == "loan_overlap"


def test_the_loan_ends_on_time(personas, loan, pdf_book, clock):
    url = f"/library/read/{loan.pk}/{pdf_book.pk}/file/"
    clock.move_to(dt.datetime(2026, 5, 22, 23, 59, 30, tzinfo=SH))
    client = reader(personas.worker)  # signed in on the last evening (sessions expire after a month)
    r = client.get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content).startswith(b"%PDF-")
    assert r["Cache-Control"] == "private, no-store"
    assert r["Content-Type"] == "application/pdf"
    clock.move_to(dt.datetime(2026, 5, 23, 0, 0, 1, tzinfo=SH))
    r = client.get(url)
    assert r.status_code == 403
    assert "2026-05-22 结束" in r.content.decode()
    r = client.get(f"/library/read/{loan.pk}/{pdf_book.pk}/")
    assert r.status_code == 403
    assert selectors.shelf_for(actor=personas.worker) == []


def test_before_the_loan_starts_the_member_is_told_when(personas, collection, pdf_book):
    later = services.loan_create(
        actor=personas.county_staffer,
        collection=collection,
        borrower=personas.tree.grassroots,
        starts_on="2026-06-01",
        ends_on="2026-06-30",
    )
    r = reader(personas.worker).get(f"/library/read/{later.pk}/{pdf_book.pk}/file/")
    assert r.status_code == 403
    assert "2026-06-01 开始" in r.content.decode()


def test_only_members_of_the_borrowing_union_read(personas, loan, pdf_book):
    url = f"/library/read/{loan.pk}/{pdf_book.pk}/file/"
    elsewhere = make_user(name="吴师傅")
    make_member(personas.tree.sibling_grassroots, user=elsewhere, name="吴师傅")
    assert reader(elsewhere).get(url).status_code == 404  # a member, of another union
    assert reader(make_user(name="未入会的人")).get(url).status_code == 404
    assert reader(personas.county_staffer).get(url).status_code == 404  # staff, but not a member there
    assert Client().get(url).status_code == 302  # to sign-in
    # Not under /media/ either: the storage path is never handed out.
    assert (
        pdf_book.file.name
        not in reader(personas.worker).get(f"/library/read/{loan.pk}/{pdf_book.pk}/").content.decode()
    )


def test_withdrawing_stops_reading_at_once(personas, loan, pdf_book):
    services.loan_withdraw(actor=personas.county_staffer, loan=loan, reason="版权方调整书目")
    r = reader(personas.worker).get(f"/library/read/{loan.pk}/{pdf_book.pk}/file/")
    assert r.status_code == 403
    assert "2026-04-23 由出借工会收回" in r.content.decode()


def test_readers_are_counted_not_tracked_and_history_is_theirs_to_delete(
    personas, loan, pdf_book, epub_book, clock
):
    worker = reader(personas.worker)
    for book in (pdf_book, epub_book, pdf_book):
        clock.shift(dt.timedelta(minutes=5))
        assert worker.get(f"/library/read/{loan.pk}/{book.pk}/").status_code == 200
    colleague = make_user(name="刘师傅")
    make_member(personas.tree.grassroots, user=colleague, name="刘师傅")
    assert reader(colleague).get(f"/library/read/{loan.pk}/{epub_book.pk}/").status_code == 200
    loan.refresh_from_db()
    assert (loan.readers, loan.opens) == (2, 4)
    stats = {s.ebook.title: s.opens for s in selectors.loan_book_stats(loan=loan)}
    assert stats == {"职工安全生产读本": 2, "书香工会读本": 2}
    # What the loan keeps names no one: a keyed hash per (loan, reader), no book, no user id.
    assert LoanReader.objects.filter(loan=loan).count() == 2
    assert not any(str(personas.worker.pk) == t for t in LoanReader.objects.values_list("token", flat=True))
    # The member's own history: two books, deletable; the counts stay.
    assert [h.ebook.title for h in selectors.history_of(actor=personas.worker)] == [
        "职工安全生产读本",
        "书香工会读本",
    ]
    page = worker.get("/library/history/").content.decode()
    assert "职工安全生产读本" in page
    worker.post("/library/history/delete/", {})
    assert not ReadingHistory.objects.filter(user=personas.worker).exists()
    assert ReadingHistory.objects.filter(user=colleague).count() == 1
    loan.refresh_from_db()
    assert (loan.readers, loan.opens) == (2, 4)
    # Asked not to be remembered: reading still counts, no history.
    worker.post("/library/history/delete/", {"stop": "1"})
    worker.get(f"/library/read/{loan.pk}/{pdf_book.pk}/")
    assert not ReadingHistory.objects.filter(user=personas.worker).exists()


def test_shelf_lists_running_loans_of_my_union(personas, loan, pdf_book, epub_book):
    shelf = selectors.shelf_for(actor=personas.worker)
    assert [(row["loan"], sorted(b.title for b in row["books"])) for row in shelf] == [
        (loan, ["书香工会读本", "职工安全生产读本"])
    ]
    page = reader(personas.worker).get("/library/").content.decode()
    assert f"/library/read/{loan.pk}/{pdf_book.pk}/" in page
    elsewhere = make_user(name="吴师傅")
    make_member(personas.tree.sibling_grassroots, user=elsewhere, name="吴师傅")
    assert selectors.shelf_for(actor=elsewhere) == []
    assert EBook.objects.count() == 2


def test_a_sibling_city_cannot_see_or_touch_the_loan(personas, loan):
    with pytest.raises(NotFound):
        services.loan_withdraw(actor=personas.sibling_staffer, loan=loan, reason="越权收回")
    client = reader(personas.sibling_staffer)
    assert client.get(f"/workbench/library/loans/{loan.pk}/").status_code == 404
    assert client.post(f"/workbench/library/loans/{loan.pk}/", {"reason": "越权收回"}).status_code == 404
    assert client.get(f"/workbench/library/ebooks/{loan.collection_id}/").status_code == 404
    loan.refresh_from_db()
    assert loan.withdrawn_at is None
    # The borrowing union sees its own loan and counts.
    assert reader(personas.grassroots_admin).get(f"/workbench/library/loans/{loan.pk}/").status_code == 200
