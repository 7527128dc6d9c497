"""The last tyres under real concurrency, on PostgreSQL: threads, each with its own connection.

The control runs a naive read-then-write sale (what the conditional UPDATE replaces) and shows it
oversells; the service under the same barrier-aligned load never does."""

import threading

import pytest
from django.db import connection, transaction

from gonghui.core.errors import Conflict
from gonghui.drivers import services
from gonghui.drivers.models import Product, PurchaseOrder
from gonghui.testing.factories import make_member, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def run_together(n, work):
    barrier = threading.Barrier(n)
    results = [None] * n

    def body(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def buyers(personas):
    users = []
    for i in range(THREADS):
        user = make_user(name=f"司机{i}")
        make_member(personas.tree.grassroots, user=user, name=f"司机{i}")
        users.append(user)
    return users


@pytest.fixture
def last_tyres(personas):
    return services.product_create(
        actor=personas.county_staffer,
        org_id=personas.tree.county.pk,
        name="载重轮胎",
        purchase_price="1580",
        market_price="1690",
        stock=3,
    )


def naive_buy(product_id, barrier):
    """Read the stock, decide in Python, write back. Test-only."""
    with transaction.atomic():
        product = Product.objects.get(pk=product_id)
        if product.stock < 1:
            return "sold_out"
        barrier.wait()  # every buyer has now read the same stock
        product.stock -= 1
        product.save(update_fields=["stock"])
        return "sold"


def test_control_naive_read_then_write_oversells(last_tyres):
    barrier = threading.Barrier(THREADS, timeout=20)
    results = run_together(THREADS, lambda i: naive_buy(last_tyres.pk, barrier))
    assert results.count("sold") > 3  # more tyres sold than there were
    last_tyres.refresh_from_db()
    assert last_tyres.stock == 2  # and the stock count is wrong as well


def test_order_place_never_oversells_the_last_tyres(last_tyres, buyers):
    results = run_together(
        THREADS, lambda i: services.order_place(actor=buyers[i], product_id=last_tyres.pk, quantity=1)
    )
    sold = [r for r in results if isinstance(r, PurchaseOrder)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(sold) == 3 and len(refused) == THREADS - 3, results
    last_tyres.refresh_from_db()
    assert last_tyres.stock == 0
    assert PurchaseOrder.objects.filter(product=last_tyres).count() == 3
