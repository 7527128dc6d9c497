"""Workbench pages answer an out-of-scope record with the same 404 page as a missing one."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/workbench/orgs/{org}/",
        "/workbench/orgs/{org}/children/",
        "/workbench/orgs/{org}/edit/",
        "/workbench/members/{member}/",
    ],
)
def test_sibling_staff_get_the_404_page_not_a_500(personas, client, path):
    client.force_login(personas.sibling_staffer)
    url = path.format(org=personas.tree.grassroots.pk, member=personas.member.pk)
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert personas.tree.grassroots.name not in response.content.decode()
