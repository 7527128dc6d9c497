"""A double tap on 提交 from two phones at once must leave one application, decided in the database."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from gonghui.core.errors import Conflict
from gonghui.members import services
from gonghui.members.models import Enrollment, id_index
from gonghui.testing.factories import make_id, make_user

pytestmark = pytest.mark.postgres


def _race(fn, n=4):
    barrier = threading.Barrier(n)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_simultaneous_applications_for_one_person_leave_one(transactional_db, personas):
    # One account (one verified phone) tapping 提交 on several devices at once.
    id_number = make_id(dt.date(1990, 1, 1))
    user = make_user()
    users = [user] * 4
    it = iter(users)
    lock = threading.Lock()

    def submit():
        with lock:
            user = next(it)
        return services.enrollment_submit(
            actor=user,
            name="韩建辉",
            id_number=id_number,
            employer_name="柳林县预石运输有限责任公司",
            occupation="truck_driver",
        )

    results = _race(submit)
    assert sum(isinstance(r, Enrollment) for r in results) == 1
    assert all(isinstance(r, (Enrollment, Conflict)) for r in results), results
    assert Enrollment.objects.filter(status="pending").count() == 1


def test_control_without_the_partial_unique_index_duplicates_slip_through(transactional_db, personas):
    """The application-level check alone is not enough: drop the index and the race creates duplicates."""
    id_number = make_id(dt.date(1991, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS enrollment_one_open_per_person_phone")
        cursor.execute(
            "ALTER TABLE members_enrollment DROP CONSTRAINT IF EXISTS enrollment_one_open_per_person_phone"
        )
    try:
        users = [make_user()] * 4
        it = iter(users)
        lock = threading.Lock()
        gate = threading.Barrier(4)

        def submit():
            with lock:
                user = next(it)
            # Everyone passes the "already pending?" check before anyone inserts.
            with transaction.atomic():
                exists = Enrollment.objects.filter(
                    id_index=id_index(id_number), status__in=Enrollment.OPEN
                ).exists()
                gate.wait()
                if exists:
                    raise Conflict()
                return services.enrollment_submit(
                    actor=user,
                    name="韩建辉",
                    id_number=id_number,
                    employer_name="柳林县预石运输有限责任公司",
                    occupation="truck_driver",
                )

        results = _race(submit)
        created = [r for r in results if isinstance(r, Enrollment)]
        assert len(created) > 1, results
    finally:
        Enrollment.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE UNIQUE INDEX IF NOT EXISTS enrollment_one_open_per_person_phone "
                "ON members_enrollment (id_index, phone_index) "
                "WHERE status IN ('pending', 'info_requested')"
            )
