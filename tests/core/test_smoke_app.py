"""The app starts, the demo loads, and a demo user can log in and see the dashboard."""


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Log in" in response.data


def test_anonymous_dashboard_redirects_to_login(client):
    response = client.get("/evaluations")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_wrong_password_is_refused_with_a_message(client, demo):
    response = client.post("/login", data={"username": "morgan", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert b"Unknown username or wrong password." in response.data
