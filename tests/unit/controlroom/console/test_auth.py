"""Log-in, sessions, rate limiting, CSRF and security headers."""

from __future__ import annotations

from sqlalchemy import select

from controlroom._console_models import ConsoleSession
from controlroom.db import transaction
from controlroom.models import User
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import PASSWORD, csrf_of, login


def test_pages_redirect_to_login_until_signed_in(console: Console) -> None:
    client = console.client()
    response = client.get("/console/review?type=BUSINESS", follow_redirects=False)
    assert response.status_code == 303
    assert (
        response.headers["location"] == "/console/login?next=%2Fconsole%2Freview%3Ftype%3DBUSINESS"
    )


def test_login_sets_a_strict_httponly_cookie_and_stores_only_a_hash(console: Console) -> None:
    console.user("alice", "viewer")
    client = console.client()
    response = login(client, "alice")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "clerk_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # off by default: loopback over plain HTTP
    secret = client.cookies["clerk_session"]
    with transaction(console.factory) as session:
        rows = list(session.scalars(select(ConsoleSession)))
        assert len(rows) == 1 and rows[0].id != secret
        stored = session.scalar(select(User.password_hash).where(User.username == "alice"))
        assert stored is not None and stored.startswith("$argon2id$")
    assert client.get("/console/").status_code == 200


def test_secure_cookie_when_configured(console: Console, monkeypatch: object) -> None:
    console.app.state.console_settings = console.app.state.console_settings.model_copy(
        update={"cookie_secure": True}
    )
    console.user("alice", "viewer")
    response = login(console.client(), "alice")
    assert "Secure" in response.headers["set-cookie"]


def test_wrong_password_is_refused_without_saying_which_part(console: Console) -> None:
    console.user("alice", "viewer")
    wrong = login(console.client(), "alice", "not the password")
    unknown = login(console.client(), "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert (
        "Wrong username or password" in wrong.text and "Wrong username or password" in unknown.text
    )


def test_five_failures_per_account_then_429_even_with_the_right_password(console: Console) -> None:
    console.user("alice", "viewer")
    client = console.client()
    for _ in range(5):
        assert login(client, "alice", "guess").status_code == 401
    limited = login(client, "alice", PASSWORD)
    assert limited.status_code == 429
    assert "too many failed log-ins for this account" in limited.text.lower()
    assert 0 < int(limited.headers["retry-after"]) <= 30


def test_login_form_needs_its_csrf_token(console: Console) -> None:
    console.user("alice", "viewer")
    client = console.client()
    client.get("/console/login")
    response = client.post(
        "/console/login", data={"username": "alice", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert "clerk_session" not in client.cookies


def test_open_redirect_after_login_is_refused(console: Console) -> None:
    console.user("alice", "viewer")
    client = console.client()
    token = csrf_of(client.get("/console/login").text)
    response = client.post(
        "/console/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/console/"


def test_state_changes_need_the_session_csrf_token(console: Console) -> None:
    client = console.logged_in("rita", "reviewer")
    missing = client.post("/console/review/bulk-retry", data={"item": "x"})
    wrong = client.post("/console/review/bulk-retry", data={"item": "x", "csrf_token": "nope"})
    assert missing.status_code == wrong.status_code == 403
    assert "security token" in missing.text
    token = csrf_of(client.get("/console/review").text)
    ok = client.post("/console/review/bulk-retry", data={"item": "x", "csrf_token": token})
    assert ok.status_code == 200  # followed the redirect back to the queue


def test_another_sessions_token_is_not_accepted(console: Console) -> None:
    alice = console.logged_in("alice", "admin")
    bob = console.logged_in("bob", "admin")
    alice_token = csrf_of(alice.get("/console/users").text)
    response = bob.post("/console/users", data={"csrf_token": alice_token, "username": "eve"})
    assert response.status_code == 403


def test_logout_ends_the_session_server_side(console: Console) -> None:
    client = console.logged_in("alice", "viewer")
    secret = client.cookies["clerk_session"]
    token = csrf_of(client.get("/console/").text)
    client.post("/console/logout", data={"csrf_token": token})
    replay = console.client()
    replay.cookies.set("clerk_session", secret, path="/console")
    assert replay.get("/console/", follow_redirects=False).status_code == 303


def test_disabled_user_loses_the_session(console: Console) -> None:
    client = console.logged_in("alice", "viewer")
    admin = console.logged_in("root", "admin")
    token = csrf_of(admin.get("/console/users").text)
    admin.post(
        "/console/users/alice", data={"csrf_token": token, "status": "disable", "role": "viewer"}
    )
    assert client.get("/console/", follow_redirects=False).status_code == 303
    assert login(console.client(), "alice").status_code == 401


def test_security_headers_on_console_pages(console: Console) -> None:
    client = console.logged_in("alice", "viewer")
    for path in ("/console/", "/console/login", "/console/review", "/console/static/console.css"):
        headers = client.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"


def test_pages_carry_no_inline_script_or_style(console: Console) -> None:
    client = console.logged_in("alice", "admin")
    for path in ("/console/", "/console/processes", "/console/review", "/console/users"):
        html = client.get(path).text
        assert "<script>" not in html and "style=" not in html and "<style" not in html
        assert "http://" not in html and "https://" not in html  # nothing from elsewhere


def test_unknown_console_address_is_an_html_404(console: Console) -> None:
    client = console.logged_in("alice", "viewer")
    response = client.get("/console/nowhere/<b>x</b>")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "<b>x</b>" not in response.text
    assert client.get("/api/v1/processes").headers["content-type"] == "application/json"
