"""The people of the site: the first owner, an owner's user management, the last-owner
guard, badges, and job secrets for unattended jobs (both engines; CLI as real processes)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, SiteSetting, User, UserSecret
from fulfilstation.services.refused import NotAllowed, Refused
from fulfilstation.services.users import NewUser, SignInRefused, UserRefused
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.file_keyring import environment


def _race(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at the same moment on threads; each result or the exception raised."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait(10)
        try:
            results[index] = calls[index]()
        except Exception as exc:  # noqa: BLE001 - the outcome is what is compared
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_the_first_owner_is_made_once_without_sign_in(database: Database) -> None:
    app = app_for(database)
    assert not app.users.has_owner()
    with pytest.raises(UserRefused, match="PIN is 4 to 12 digits"):
        app.users.create_owner("olga", "Olga Owner", "12")
    results = _race([lambda: app.users.create_owner("olga", "Olga Owner", "4812"),
                     lambda: app.users.create_owner("omar", "Omar Owner", "4812")])
    made = [r for r in results if not isinstance(r, Exception)]
    assert len(made) == 1 and all(isinstance(r, UserRefused) for r in results if r not in made)
    assert app.users.has_owner()
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
        assert session.scalar(select(SiteSetting.value).where(SiteSetting.key == "first_owner")) is not None
    owner = app.users.sign_in_with_pin(made[0].username, "4812")  # type: ignore[attr-defined]
    assert owner.role == "owner"
    with pytest.raises(UserRefused, match="already an owner"):
        app.users.create_owner("zed", "Zed", "4812")


def test_an_owner_manages_users_and_a_manager_may_not(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    owner, manager = sign_in(app, "owner"), sign_in(app, "manager")
    with pytest.raises(NotAllowed, match="only an owner can manage users"):
        app.users.add(manager, NewUser("kim", "Kim Kay", "packer", "2468"))
    assert "kim" not in {u.username for u in app.users.list()}
    added = app.users.add(owner, NewUser("kim", "Kim Kay", "packer", "2468", "BADGE-KIM"))
    assert added.has_pin and added.has_badge and added.active
    assert app.users.sign_in_with_badge("BADGE-KIM").username == "kim"
    with pytest.raises(UserRefused, match="already belongs to Kim Kay"):
        app.users.set_badge(owner, "packer", "BADGE-KIM")
    with pytest.raises(UserRefused, match="already a user called 'kim'"):
        app.users.add(owner, NewUser("kim", "Other", "packer"))
    app.users.edit(owner, "kim", full_name="Kim  Kaye", role="manager")
    app.users.set_pin(owner, "kim", "9753")
    assert app.users.sign_in_with_pin("kim", "9753").role == "manager"
    for _ in range(5):
        with pytest.raises(SignInRefused):
            app.users.sign_in_with_pin("kim", "0000")
    with pytest.raises(SignInRefused, match="locked"):
        app.users.sign_in_with_pin("kim", "9753")
    app.users.unlock(owner, "kim")
    kim = app.users.sign_in_with_pin("kim", "9753")
    app.users.deactivate(owner, "kim")
    with pytest.raises(SignInRefused, match="no active user"):
        app.users.sign_in_with_pin("kim", "9753")
    with pytest.raises(NotAllowed, match="no longer an active user"):  # signed in before: refused at once
        app.orders.change_service(kim, "NOPE", "ups/ground")
    with db.unit_of_work() as session:
        actions = session.execute(select(AuditEntry.action, AuditEntry.user_id, AuditEntry.details)
                                  .where(AuditEntry.action.like("user.%"), AuditEntry.action != "user.login")).all()
    changes = [(action, who) for action, who, _details in actions if action != "user.locked"]
    assert {action for action, _who in changes} >= {"user.added", "user.edited", "user.pin_set", "user.unlocked",
                                                     "user.deactivated"}
    assert {who for _action, who in changes} == {owner.user_id}
    assert not any("9753" in str(details) or "BADGE-KIM" in str(details) for _a, _w, details in actions)


def test_the_last_owner_cannot_be_removed_even_by_two_owners_at_once(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    with pytest.raises(UserRefused, match="only active owner"):
        app.users.deactivate(owner, "owner")
    with pytest.raises(UserRefused, match="only active owner"):
        app.users.edit(owner, "owner", role="manager")
    app.users.add(owner, NewUser("olga", "Olga Other", "owner", "4812"))
    olga = app.users.sign_in_with_pin("olga", "4812")
    results = _race([lambda: app.users.deactivate(owner, "olga"), lambda: app.users.deactivate(olga, "owner")])
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(User).where(User.role == "owner",
                                                                            User.active.is_(True))) == 1


def test_a_job_secret_signs_a_job_in_until_it_is_revoked(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    owner = sign_in(app, "owner")
    with pytest.raises(NotAllowed):
        app.users.issue_secret(sign_in(app, "manager"), "manager", "sync")
    with pytest.raises(SignInRefused, match="No job secret for manager"):
        app.users.sign_in_with_secret("manager")
    issued = app.users.issue_secret(owner, "manager", "nightly Shopify import")
    assert app.users.has_job_secret("manager")
    job = app.users.sign_in_with_secret("manager")
    assert job.username == "manager" and job.method == "secret"
    with db.unit_of_work() as session:
        row = session.scalars(select(UserSecret)).one()
        assert row.last_used_at is not None and row.label == "nightly Shopify import"
        logins = session.scalars(select(AuditEntry.details).where(AuditEntry.action == "user.login",
                                                                  AuditEntry.user_id == job.user_id)).all()
    assert {"method": "secret", "secret_id": issued.id} in logins
    with pytest.raises(SignInRefused):
        app.users.sign_in_with_secret("packer")  # a secret is one user's
    assert app.users.revoke_secrets(owner, "manager") == 1
    assert not app.users.has_job_secret("manager")  # this machine's copy went with it
    app.users.issue_secret(owner, "manager", "again")
    app.users.revoke_secrets(owner, "manager", issued.id + 1)
    with pytest.raises(SignInRefused):
        app.users.sign_in_with_secret("manager")


def test_the_cli_manages_users_and_a_job_signs_in_with_its_secret(seeded_database: Database, tmp_path: Path) -> None:
    url = plain(seeded_database.engine.url)
    keyring = environment(tmp_path / "keyring.json")
    refused = cli("users", "add", "kim", "--name", "Kim", "--role", "packer", "--new-pin", "2468", "--db", url)
    assert refused.returncode == 2 and "sign in" in refused.stderr
    added = cli("users", "add", "kim", "--name", "Kim", "--role", "packer", "--new-pin", "2468",
                "--user", "owner", "--pin", "3333", "--db", url)
    assert added.returncode == 0, added.stderr
    listed = cli("users", "list", "--db", url)
    assert "kim" in listed.stdout and "PIN set" in listed.stdout
    issue = cli("users", "issue-secret", "owner", "--label", "nightly", "--user", "owner", "--pin", "3333",
                "--db", url, env=keyring)
    assert issue.returncode == 0, issue.stderr
    secret = next(iter((tmp_path / "keyring.json").read_text().split('"')[-2:-1]))
    assert secret.startswith("fsj_") and secret not in issue.stdout + issue.stderr
    job = cli("site", "set-units", "--weight", "kg", "--user", "owner", "--db", url, env=keyring)
    assert job.returncode == 0, job.stderr
    with seeded_database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(UserSecret).where(
            UserSecret.secret_digest.contains(secret))) == 0  # only a digest is stored
        via = session.scalars(select(AuditEntry.details).where(AuditEntry.action == "site.units_changed")).all()
    assert via[-1]["via"] == "secret"
    revoke = cli("users", "revoke-secret", "owner", "--user", "owner", "--pin", "3333", "--db", url, env=keyring)
    assert revoke.returncode == 0 and "Revoked 1" in revoke.stdout
    after = cli("site", "set-units", "--weight", "lb", "--user", "owner", "--db", url, env=keyring)
    assert after.returncode == 2  # no secret left here, no PIN, no terminal: nothing changed


def test_refusals_are_one_type(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    for call in (lambda: app.users.sign_in_with_pin("nobody", "1111"), lambda: app.orders.show("NOPE"),
                 lambda: app.manifests.find("M-NOPE"), lambda: app.shipping.void(sign_in(app, "manager"), "X", "r"),
                 lambda: app.users.add(sign_in(app, "packer"), NewUser("a", "A", "packer"))):
        with pytest.raises(Refused) as caught:
            call()
        assert caught.value.code and caught.value.message
