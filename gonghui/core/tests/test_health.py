from django.db import connection


def test_health_reports_the_database_in_use(db, client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    expected = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    assert response.json() == {"status": "ok", "database": expected}


def test_openapi_and_docs_are_served(db, client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/health" in spec.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 200
