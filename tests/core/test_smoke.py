from cpevents.core.enums import Role
from tests.factories import make_user, sign_in


def test_health_check_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_nominator_signs_in_and_lands_on_own_home(client):
    user = make_user(Role.NOMINATOR)
    response = sign_in(client, user)
    assert response.headers["Location"].endswith("/home")
    page = client.get("/home", follow_redirects=True)
    assert "Your nominations" in page.get_data(as_text=True)
