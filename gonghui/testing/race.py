"""Race helpers for the PostgreSQL concurrency tests (DESIGN.md §4.10): start n threads, each with its own
database connection, release them together, and collect what each returned or raised."""

from __future__ import annotations

import threading

from django.db import connection


def run_together(n: int, work, *, timeout: float = 60) -> list:
    """Runs work(i) for i in range(n) in n threads released at one barrier; returns each result or exception.
    Every thread closes its connection, so the test database can be dropped afterwards."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def body(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # the test asserts on what each thread met
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return results
