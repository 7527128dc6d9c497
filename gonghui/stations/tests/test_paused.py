"""A suspended station (暂停服务) says so to workers — on its page, on the page the QR code opens and
on the poster — and never promises the next opening of its weekly hours."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from gonghui.stations.models import Station

# A Monday at 07:00 in Shanghai: an active station with 08:00-20:00 hours "opens today at 08:00".
MONDAY_7AM = dt.datetime(2026, 3, 2, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@time_machine.travel(MONDAY_7AM, tick=False)
def test_paused_station_page_and_scan_say_suspended(make_station):
    active = make_station()
    paused = make_station(status="paused")
    assert paused.status == Station.Status.PAUSED
    worker = Client()
    assert "今天 08:00 开门" in worker.get(f"/stations/s/{active.code}/").content.decode()

    page = worker.get(f"/stations/s/{paused.code}/").content.decode()
    assert "暂停服务" in page and "本驿站暂停服务" in page
    assert "开门" not in page and "08:00-20:00" not in page

    scanned = worker.get(f"/stations/scan/{paused.code}/", follow=True).content.decode()
    assert "本驿站暂停服务" in scanned and "开门" not in scanned
    assert f"欢迎来到{paused.name}" not in scanned


def test_paused_station_poster_says_suspended(personas, make_station, client):
    paused = make_station(status="paused")
    client.force_login(personas.county_staffer)
    html = client.get(f"/workbench/stations/{paused.pk}/poster/").content.decode()
    assert "开放时间：<strong>暂停服务</strong>" in html and "暂停服务" in html
    detail = client.get(f"/workbench/stations/{paused.pk}/").content.decode()
    assert "暂停服务" in detail and "开门" not in detail
