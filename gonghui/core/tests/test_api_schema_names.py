"""The OpenAPI document names each request/response schema once: two apps' `ResolveIn` under one name
would publish one app's fields for the other's endpoint (a client built from the spec sends the wrong body)."""

from collections import defaultdict

from ninja import Schema


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_api_schema_has_its_own_name():
    import config.api  # noqa: F401 — imports every router, so every schema class exists

    modules = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("gonghui."):
            modules[schema.__name__].add(schema.__module__)
    clashes = {name: sorted(mods) for name, mods in modules.items() if len(mods) > 1}
    assert not clashes, (
        f"schema names used by more than one module (prefix them with the app's noun): {clashes}"
    )


def test_the_published_body_is_the_one_the_endpoint_reads():
    from config.api import api

    spec = api.get_openapi_schema()
    body = spec["paths"]["/api/v1/stations/feedback/{feedback_id}/resolve"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(spec["components"]["schemas"][ref]["properties"]) == {"resolution"}
