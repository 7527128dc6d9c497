import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.library import services
from gonghui.library.models import Collection, ReadingRoom
from gonghui.library.samples import make_epub, make_pdf

SH = ZoneInfo("Asia/Shanghai")
# 2026 全民阅读月: a Thursday in April, 10:00 in 铁岭's time zone.
NOW = dt.datetime(2026, 4, 23, 10, 0, tzinfo=SH)
LIULIN = (37.4317, 110.8890)  # 柳林县 (GCJ-02)

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def upload(data: bytes, name: str, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def personas(clock, db):
    from gonghui.testing.personas import build_personas

    return build_personas()


@pytest.fixture
def make_room(personas):
    counter = iter(range(1, 10_000))

    def make(org=None, *, actor=None, lat=LIULIN[0], lng=LIULIN[1], **data) -> ReadingRoom:
        n = next(counter)
        fields = {
            "name": f"测试职工书屋{n}",
            "address": f"柳林县测试路 {n} 号",
            "lat": lat,
            "lng": lng,
            "hours": "周一至周五 8:30–17:30",
            "books_count": 1200,
            "workers_reached": 300,
        }
        fields.update(data)
        return services.room_create(
            actor=actor or personas.grassroots_admin, org=org or personas.tree.grassroots, **fields
        )

    return make


@pytest.fixture
def collection(personas) -> Collection:
    """The county's 流动电子职工书屋, licensed to the end of the year."""
    return services.collection_create(
        actor=personas.county_staffer,
        org=personas.tree.county,
        name="流动电子职工书屋（时政·管理·健康·文学）",
        licensor="某数字阅读平台",
        licence_until=dt.date(2026, 12, 31),
    )


@pytest.fixture
def pdf_book(personas, collection):
    return services.ebook_add(
        actor=personas.county_staffer,
        collection=collection,
        title="职工安全生产读本",
        author="铁岭市总工会",
        category="skills",
        file=upload(make_pdf(), "anquan.pdf"),
    )


@pytest.fixture
def epub_book(personas, collection):
    return services.ebook_add(
        actor=personas.county_staffer,
        collection=collection,
        title="书香工会读本",
        author="铁岭市总工会",
        category="literature",
        file=upload(make_epub(), "shuxiang.epub"),
    )
