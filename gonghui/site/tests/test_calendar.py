"""节假日与调休: 全总 and provincial admins keep the override table; every staffer is warned from November."""

import datetime as dt

import pytest
import time_machine

from gonghui.core import workdays
from gonghui.core.models import AuditEvent, CalendarDay
from gonghui.core.workdays import add_working_days
from gonghui.orgs.models import Staff
from gonghui.testing.factories import make_staff

pytestmark = pytest.mark.django_db
URL = "/workbench/calendar/"
SH = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def package_without_2027(monkeypatch):
    real = workdays.chinese_calendar.is_workday

    def is_workday(day):
        if day.year >= 2027:
            raise NotImplementedError(f"no available data for year {day.year}")
        return real(day)

    monkeypatch.setattr(workdays.chinese_calendar, "is_workday", is_workday)
    monkeypatch.setattr(workdays, "official_years", lambda: frozenset(range(2004, 2027)))


@pytest.fixture
def province_admin(personas):
    return make_staff(personas.tree.province, Staff.Role.ADMIN, name="省总管理员")


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=SH), tick=True)
def test_a_province_admin_enters_next_years_spring_festival(
    personas, province_admin, client, package_without_2027
):
    client.force_login(province_admin)
    page = client.get(URL, {"year": 2027})
    assert page.status_code == 200 and "2027 年的放假安排尚未录入" in page.content.decode()
    assert add_working_days(dt.date(2027, 2, 5), 1) == dt.date(2027, 2, 8)
    response = client.post(URL, {"year": 2027, "date": "2027-02-08", "kind": "holiday", "name": "春节"})
    assert response.status_code == 302
    client.post(URL, {"year": 2027, "date": "2027-02-06", "kind": "workday", "name": "春节"})
    assert add_working_days(dt.date(2027, 2, 5), 1) == dt.date(2027, 2, 6)
    event = AuditEvent.objects.get(
        action="calendar.set", object_id=str(CalendarDay.objects.get(date="2027-02-08").pk)
    )
    assert event.org == personas.tree.province and event.actor_id == province_admin.pk
    page = client.get(URL, {"year": 2027}).content.decode()
    assert "2027-02-08" in page and "调休上班" in page and "尚未录入" not in page
    client.post(URL, {"year": 2027, "delete": "2027-02-06"})
    assert not CalendarDay.objects.filter(date="2027-02-06").exists()
    assert AuditEvent.objects.filter(action="calendar.delete", org=personas.tree.province).count() == 1


def test_a_bad_entry_is_named_and_nothing_is_written(province_admin, client):
    client.force_login(province_admin)
    response = client.post(URL, {"date": "2027-02-30", "kind": "holiday", "name": "春节"})
    assert response.status_code == 422
    assert "日期不是有效日期，请按 YYYY-MM-DD 填写" in response.content.decode()
    response = client.post(URL, {"date": "2027-02-08", "kind": "holiday", "name": ""})
    assert response.status_code == 422 and "请填写节日名称" in response.content.decode()
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("who", ["county_staffer", "city_staffer", "worker"])
def test_staff_below_the_province_and_workers_get_404_and_change_nothing(personas, client, who):
    client.force_login(getattr(personas, who))
    assert client.get(URL).status_code in {404, 403}
    response = client.post(URL, {"date": "2027-02-08", "kind": "holiday", "name": "春节"})
    assert response.status_code in {404, 403}
    assert not CalendarDay.objects.exists() and not AuditEvent.objects.filter(action="calendar.set").exists()


def test_a_province_staffer_who_is_not_admin_cannot_edit(personas, client):
    approver = make_staff(personas.tree.province, Staff.Role.APPROVER, name="省总审批")
    client.force_login(approver)
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize(
    "moment,warned",
    [(dt.datetime(2026, 10, 30, 10, tzinfo=SH), False), (dt.datetime(2026, 11, 2, 10, tzinfo=SH), True)],
)
def test_from_november_the_workbench_home_warns_while_next_year_is_missing(
    personas, province_admin, client, package_without_2027, moment, warned
):
    with time_machine.travel(moment, tick=True):
        client.force_login(personas.county_staffer)
        page = client.get("/workbench/").content.decode()
        assert ("2027 年的法定节假日和调休安排尚未录入" in page) is warned
        if warned:
            assert "请联系省总工会或全国总工会的管理员录入" in page and URL not in page
            client.force_login(province_admin)
            assert f"{URL}?year=2027" in client.get("/workbench/").content.decode()
            CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind="holiday", name="元旦")
            assert "尚未录入" not in client.get("/workbench/").content.decode()
