"""Reading rooms near me (职工书屋) at national scale. Prints its figures; not run by pytest.

    python benchmarks/library_nearby.py [--rooms 100000] [--queries 500]

100,000 rooms spread like the stations benchmark's cities (the national register is of that order), in a
throwaway SQLite database; 500 worker positions; nearest-10 within 5 km through library.selectors.rooms_nearby
(the stations' query validation + core.geo.nearest_in: a bounding box on the (gcj_lat, gcj_lng) index, then
exact haversine), p50/p99 per query, and the same answers by brute force over every room: they must agree.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stations_nearby import pct, query_points, synth_stations  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="gonghui-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["SQLITE_PATH"] = os.path.join(tmp, "bench.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 600
    call_command("migrate", verbosity=0)
    from gonghui.core.geo import haversine_m
    from gonghui.library import selectors
    from gonghui.library.models import ReadingRoom
    from gonghui.orgs.models import Org
    from gonghui.stations.selectors import nearby_query

    org = Org.objects.create(name="全国总工会", kind="national", path="00001", depth=1)
    rng = random.Random(20261201)
    rows = synth_stations(args.rooms, rng)
    t = time.perf_counter()
    ReadingRoom.objects.bulk_create(
        [
            ReadingRoom(
                org=org,
                org_path=org.path,
                name=f"职工书屋{sid}",
                address="演示",
                gcj_lat=lat,
                gcj_lng=lng,
                hours="工作日",
            )
            for sid, lat, lng in rows
        ],
        batch_size=2000,
    )
    print(f"rooms: {len(rows):,}  insert: {time.perf_counter() - t:.1f} s")
    points = list(ReadingRoom.objects.values_list("pk", "gcj_lat", "gcj_lng"))
    queries = query_points(args.queries, rng)
    times, found, mismatches = [], [], 0
    for lat, lng in queries:
        query = nearby_query(lat=lat, lng=lng, radius_m=5000, limit=10)
        t = time.perf_counter()
        got = selectors.rooms_nearby(query)
        times.append((time.perf_counter() - t) * 1000)
        found.append(len(got))
        brute = sorted((haversine_m(lat, lng, plat, plng), pk) for pk, plat, plng in points)
        expected = [pk for d, pk in brute if d <= 5000][:10]
        if [r["id"] for r in got] != expected:
            mismatches += 1
    print(
        f"nearest-10 within 5 km, {len(queries)} queries: p50 {pct(times, 50):.2f} ms  p99 {pct(times, 99):.2f} ms  "
        f"mean rooms found {statistics.mean(found):.1f}  mismatches vs brute force: {mismatches}"
    )


if __name__ == "__main__":
    main()
