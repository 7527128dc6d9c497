import threading

import pytest
from django.db import connection

from gonghui.core.errors import DomainError, NotFound
from gonghui.core.validators import make_credit_code
from gonghui.orgs import services
from gonghui.orgs.models import Org
from gonghui.testing.factories import make_member, make_org


def create(personas, parent, kind="grassroots", actor=None, **fields):
    fields.setdefault("name", "某某公司工会")
    return services.org_create(actor=actor or personas.county_staffer, parent=parent, kind=kind, **fields)


@pytest.mark.parametrize(
    "parent_attr, kind",
    [
        ("county", "township"),
        ("county", "grassroots"),
        ("county", "industry"),
        ("county", "joint"),
        ("township", "grassroots"),
        ("township", "joint"),
    ],
)
def test_allowed_kinds(personas, parent_attr, kind):
    parent = getattr(personas.tree, parent_attr)
    org = create(personas, parent, kind)
    assert (org.parent, org.kind, org.depth) == (parent, kind, parent.depth + 1)


@pytest.mark.parametrize(
    "parent_attr, kind, message",
    [
        ("county", "province", "县(区)总工会下不能直接设立省总工会"),
        ("county", "city", "县(区)总工会下不能直接设立市总工会"),
        ("township", "county", "乡镇(街道)工会下不能直接设立县(区)总工会"),
        ("grassroots", "grassroots", "基层工会下不能直接设立基层工会"),
    ],
)
def test_disallowed_kinds(personas, parent_attr, kind, message):
    with pytest.raises(DomainError) as info:
        create(personas, getattr(personas.tree, parent_attr), kind)
    assert (info.value.field, info.value.message) == ("kind", message)


def test_unknown_kind(personas):
    with pytest.raises(DomainError) as info:
        create(personas, personas.tree.county, "club")
    assert info.value.message == "工会类型不正确"


def test_valid_union_credit_code_is_stored_normalised(personas):
    code = make_credit_code("81141125MA0K1234X")
    org = create(personas, personas.tree.township, credit_code=code.lower())
    assert org.credit_code == code


def test_invalid_credit_code_creates_nothing(personas):
    before = Org.objects.count()
    with pytest.raises(DomainError) as info:
        create(personas, personas.tree.township, credit_code="81141125MA0K1234XZ")
    assert info.value.field == "credit_code"
    assert Org.objects.count() == before


def test_credit_code_must_be_unique(personas):
    code = make_credit_code("81141125MA0K1234X")
    create(personas, personas.tree.township, credit_code=code)
    with pytest.raises(DomainError) as info:
        create(personas, personas.tree.county, name="另一个工会", credit_code=code)
    assert info.value.code == "credit_taken"


def test_blank_credit_codes_do_not_collide(personas):
    create(personas, personas.tree.township, name="甲", credit_code="")
    create(personas, personas.tree.township, name="乙", credit_code=None)
    assert Org.objects.filter(name__in=["甲", "乙"], credit_code__isnull=True).count() == 2


def test_sibling_staffer_cannot_create_under_the_county(personas):
    with pytest.raises(NotFound):
        create(personas, personas.tree.county, actor=personas.sibling_staffer)


def test_siblings_get_consecutive_distinct_paths(personas):
    a = create(personas, personas.tree.township, name="甲")
    b = create(personas, personas.tree.township, name="乙")
    assert a.path != b.path
    assert a.path[:-5] == b.path[:-5] == personas.tree.township.path
    assert b.path > a.path


def test_new_union_appears_in_the_subtree_counts(personas, api):
    t = personas.tree
    before = api(personas.county_staffer).get(f"orgs/{t.county.pk}").json()
    org = create(personas, t.township)
    make_member(org)
    after = api(personas.county_staffer).get(f"orgs/{t.county.pk}").json()
    assert after["sub_org_count"] == before["sub_org_count"] + 1
    assert after["member_count"] == before["member_count"] + 1


def test_subtree_counts_for_many_children(personas, client, django_assert_max_num_queries):
    t = personas.tree
    for i in range(12):
        child = make_org(t.township, Org.Kind.GRASSROOTS, f"工会{i}")
        for _ in range(i % 3):
            make_member(child)
    client.force_login(personas.county_staffer)
    with django_assert_max_num_queries(12):
        page = client.get(f"/workbench/orgs/{t.township.pk}/children/")
    assert page.status_code == 200
    assert page.content.decode().count("工会1") >= 3  # 工会1, 工会10, 工会11


def test_tree_page_query_count_does_not_grow_with_the_tree(personas, client, django_assert_max_num_queries):
    t = personas.tree
    for i in range(20):
        make_member(make_org(t.township, Org.Kind.GRASSROOTS, f"工会{i}"))
    client.force_login(personas.city_staffer)
    with django_assert_max_num_queries(12):
        assert client.get("/workbench/orgs/").status_code == 200
    # Counted subtree sizes for all 20 children: two grouped queries, not 40.
    with django_assert_max_num_queries(16):
        assert client.get(f"/workbench/orgs/{t.township.pk}/").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_creating_children_of_one_parent_at_once_get_distinct_paths():
    from gonghui.testing.personas import build_personas

    p = build_personas()
    actors = [p.county_staffer, p.city_staffer]
    p.tree.township.refresh_from_db()
    seq_before = p.tree.township.child_seq
    barrier = threading.Barrier(len(actors) * 2)
    created, errors = [], []

    def work(actor, n):
        try:
            barrier.wait(timeout=10)
            created.append(
                services.org_create(
                    actor=actor, parent=p.tree.township, kind="grassroots", name=f"并发工会{n}"
                )
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(a, i)) for i, a in enumerate(actors * 2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    paths = [o.path for o in created]
    assert len(paths) == 4 and len(set(paths)) == 4
    p.tree.township.refresh_from_db()
    assert p.tree.township.child_seq == seq_before + 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_unions_registering_one_credit_code_at_once_one_wins_cleanly():
    from gonghui.testing.personas import build_personas

    p = build_personas()
    code = make_credit_code("81141125MA0K7777X")
    barrier = threading.Barrier(2)
    outcomes = []

    def work(actor, name):
        try:
            barrier.wait(timeout=10)
            services.org_create(
                actor=actor, parent=p.tree.township, kind="grassroots", name=name, credit_code=code
            )
            outcomes.append("created")
        except DomainError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # an IntegrityError here is the bug this test guards
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(p.county_staffer, "甲公司工会")),
        threading.Thread(target=work, args=(p.city_staffer, "乙公司工会")),
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes) == ["created", "credit_taken"]
    assert Org.objects.filter(credit_code=code).count() == 1
