def test_county_staffer_sees_subtree_but_not_sibling_city(personas, api):
    client = api(personas.county_staffer)
    ids = {o["id"] for o in client.get("orgs", {"limit": 500}).json()}
    t = personas.tree
    assert {t.county.pk, t.township.pk, t.grassroots.pk} <= ids
    assert not ids & {t.city.pk, t.province.pk, t.sibling_city.pk, t.sibling_grassroots.pk}
    assert client.get(f"orgs/{t.sibling_grassroots.pk}").status_code == 404
    assert client.get(f"orgs/{t.city.pk}").status_code == 404
    assert client.get(f"orgs/{t.grassroots.pk}").json()["member_count"] == 1
