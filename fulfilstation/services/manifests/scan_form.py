"""The EasyPost scan form of a closed manifest: asked for after the close committed, and
recorded on the manifest once.

Invariants:

* Never inside the close-out transaction: the manifest is committed first (and stays
  closed and valid whatever EasyPost does); the form is asked for afterwards, outside any
  transaction, for exactly that manifest's bought, live EasyPost shipments.
* Recorded once, by the database: ``UPDATE manifests SET external_id, external_form_url
  … WHERE id = :m AND external_id IS NULL`` (migration 0003 lets a closed manifest take
  exactly this change and nothing else). A second finisher changes nothing.
* Idempotent: ``attach_scan_form`` on a manifest that has its form calls nothing.
* Never a second form silently. EasyPost puts a shipment on one scan form only, so asking
  again for the same shipments is refused by EasyPost, not doubled. After a timeout (the
  first attempt may have made the form without our hearing of it), the retry asks again:
  if nothing was made it succeeds; if EasyPost refuses because the labels are already on
  a form, the manager is told so, where to find that form (EasyPost dashboard, Scan
  Forms, the manifest's tracking numbers) and how to record it by hand
  (``record_scan_form`` / ``fulfilstation manifest scan-form NUMBER --id sf_…``).
* Every attempt leaves an audit entry naming the actor: ``manifest.scan_form_attached`` (with ``source``
  ``easypost`` or ``manual``), ``manifest.scan_form_failed`` (message, code, whether
  EasyPost may have acted), ``manifest.scan_form_unused`` (a form another finisher beat).

Failures after the commit are not raised: the result's ``scan_form_problem`` says in words
that the scan form is missing and how to retry. Refusals (not an EasyPost manifest, a bad
id) raise ``ManifestRefused``; who may is the use case's check (``NotAllowed``).

An account reached through a carrier gateway (karrio) gets the carrier's own manifest call
instead, where it has one (``carriers.gateway_manifest``: a USPS SCAN form …), recorded
the same way (``source`` ``carrier``; its document as a ``data:`` address); a carrier
without one makes no call and expects no form.

Threading: blocking (database, and EasyPost up to the account's ``timeout_s``); call from
worker threads. Safe from many stations at once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from fulfilstation.carriers.easypost_adapter import EasyPostAdapter, adapter_for
from fulfilstation.carriers.easypost_errors import EasyPostProblem
from fulfilstation.carriers.gateway import CarrierProblem
from fulfilstation.carriers.gateway_accounts import GatewayFactory, gateway_for, is_gateway_account
from fulfilstation.carriers.gateway_manifest import carrier_manifest_for, document_address
from fulfilstation.carriers.label_purchase import scan_form_for
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import AuditEntry, CarrierAccount, Manifest
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.context import AdapterFactory
from fulfilstation.services.manifests.queries import (
    ManifestInfo,
    ManifestProblem,
    ManifestRefused,
    manifest_info,
    scan_form_retry,
)

log = logging.getLogger(__name__)
FORM_ID = re.compile(r"sf_[0-9A-Za-z]{1,97}")
ATTACHED, FAILED, UNUSED = "manifest.scan_form_attached", "manifest.scan_form_failed", "manifest.scan_form_unused"


@dataclass(frozen=True)
class _State:
    info: ManifestInfo
    account: tuple[str, str | None, dict[str, Any]]  # name, keyring name, settings: for adapter_for
    unanswered: str | None  # when an earlier attempt got no answer (EasyPost may have made the form)


def attach_scan_form(database: Database, actor: Actor, manifest_id: int, adapter: EasyPostAdapter | None = None,
                     make_adapter: AdapterFactory = adapter_for,
                     make_gateway: GatewayFactory = gateway_for) -> ManifestInfo:
    """Make and record the EasyPost scan form of the closed manifest ``manifest_id``, unless
    it has one (then nothing is called). ``adapter``: default, the account's own (API key
    from the OS keyring). Returns the manifest; when EasyPost failed, ``scan_form_problem``
    says why and how to retry. Raises ManifestRefused for a manifest without EasyPost labels."""
    state = _state(database, manifest_id)
    info = state.info
    if info.scan_form_id:
        return info
    if not info.scan_form_expected:
        raise ManifestRefused(ManifestProblem.NO_SCAN_FORM, f"Manifest {info.number} holds no EasyPost label: "
                              "no scan form belongs with it.")
    if is_gateway_account(state.account[2]):
        return _from_gateway(database, state, make_gateway, actor)
    try:
        form = scan_form_for(database, manifest_id, adapter or make_adapter(*state.account))
        if form.status.lower() == "failed":
            raise EasyPostProblem("EasyPost could not make the scan form (its status is 'failed'). Try again.")
    except EasyPostProblem as problem:
        return _failed(database, state, problem, actor)
    return _record(database, info, form.easypost_id, form.form_url, "easypost", actor)


def _from_gateway(database: Database, state: _State, make_gateway: GatewayFactory, actor: Actor) -> ManifestInfo:
    """The carrier's own manifest call for a gateway account (none: nothing is expected)."""
    try:
        made = carrier_manifest_for(database, state.info.id, make_gateway(*state.account))
    except CarrierProblem as problem:
        said = f" The carrier said: {problem.carrier_text}" if problem.carrier_text else ""
        return _failed(database, state, EasyPostProblem(problem.message + said, uncertain=problem.uncertain), actor,
                       who="the carrier")
    if made is None:
        return replace(state.info, scan_form_expected=False)
    return _record(database, state.info, made.external_id, document_address(made), "carrier", actor)


def record_scan_form(database: Database, actor: Actor, manifest_id: int, form_id: str,
                     form_url: str | None = None) -> ManifestInfo:
    """Record a scan form found by hand (EasyPost dashboard) on a manifest that has none —
    after a timeout made one that no answer brought back. Raises ManifestRefused in words."""
    form_id, form_url = form_id.strip(), (form_url or "").strip() or None
    if not FORM_ID.fullmatch(form_id):
        raise ManifestRefused(ManifestProblem.NO_SCAN_FORM, f"{form_id!r} is not an EasyPost scan form id: it "
                              "starts with sf_ (copy it from the EasyPost dashboard, under Scan Forms).")
    if form_url is not None and not form_url.startswith(("https://", "http://")):
        raise ManifestRefused(ManifestProblem.NO_SCAN_FORM, "The scan form's address must be a web address "
                              "(https://…); leave it out if you do not have it.")
    info = _state(database, manifest_id).info
    if info.scan_form_id is None and not info.scan_form_expected:
        raise ManifestRefused(ManifestProblem.NO_SCAN_FORM, f"Manifest {info.number} holds no EasyPost label: "
                              "no scan form belongs with it.")
    if info.scan_form_id is None:
        info = _record(database, info, form_id, form_url, "manual", actor)
    if info.scan_form_id != form_id:
        raise ManifestRefused(ManifestProblem.NO_SCAN_FORM, f"Manifest {info.number} already has scan form "
                              f"{info.scan_form_id}; a manifest's scan form is recorded once.")
    return info


def _state(database: Database, manifest_id: int) -> _State:
    with database.unit_of_work() as session:
        info = manifest_info(session, manifest_id)
        account = session.get_one(CarrierAccount, info.account_id)
        unanswered = session.scalars(select(AuditEntry).where(
            AuditEntry.action == FAILED, AuditEntry.entity_type == "manifest", AuditEntry.entity_id == manifest_id)
            .order_by(AuditEntry.id.desc())).all()
        when = next((a.occurred_at for a in unanswered if a.details.get("uncertain")), None)
        return _State(info, (account.name, account.keyring_name, dict(account.settings or {})),
                      f"{when.astimezone():%Y-%m-%d %H:%M}" if when else None)


def _record(database: Database, info: ManifestInfo, form_id: str, form_url: str | None, source: str,
            actor: Actor) -> ManifestInfo:
    """The conditional UPDATE and its audit entry; a failure to write is reported in words
    with the form's id (EasyPost has the form: it must not be lost)."""
    try:
        with database.unit_of_work() as session:
            stored = rows_changed(session, update(Manifest).where(
                Manifest.id == info.id, Manifest.external_id.is_(None)).values(
                external_id=form_id, external_form_url=form_url).execution_options(synchronize_session=False))
            audit.record(session, actor, ATTACHED if stored else UNUSED, "manifest", info.id,
                         {"number": info.number, "scan_form": form_id, "form_url": form_url, "source": source})
            return manifest_info(session, info.id)
    except SQLAlchemyError as exc:
        log.error("scan form %s of manifest %s not recorded: %s", form_id, info.number, type(exc).__name__)
        return replace(info, scan_form_problem=(
            f"EasyPost made scan form {form_id}, but it could not be recorded on manifest {info.number} "
            f"({type(exc).__name__}: the database). Record it with: fulfilstation manifest scan-form {info.number} "
            f"--id {form_id}"))


def _failed(database: Database, state: _State, problem: EasyPostProblem, actor: Actor,
            who: str = "EasyPost") -> ManifestInfo:
    info = state.info
    try:
        with database.unit_of_work() as session:
            audit.record(session, actor, FAILED, "manifest", info.id,
                         {"number": info.number, "message": problem.message, "code": problem.code,
                          "uncertain": problem.uncertain})
            info = manifest_info(session, info.id)
    except SQLAlchemyError as exc:
        log.error("scan form failure of manifest %s not audited: %s", info.number, type(exc).__name__)
    if info.scan_form_id:  # another station recorded it meanwhile
        return info
    if who != "EasyPost":
        return replace(info, scan_form_problem=f"Manifest {info.number} is closed, but the carrier's manifest is "
                       f"missing: {problem.message} {scan_form_retry(info.number)}")
    return replace(info, scan_form_problem=problem_text(info.number, problem, state.unanswered))


def problem_text(number: str, problem: EasyPostProblem, unanswered: str | None) -> str:
    """Why the scan form is missing and what to do, for the manager."""
    if unanswered and not problem.uncertain:
        return (f"Manifest {number} is closed, but EasyPost refused its scan form: {problem.message} The attempt "
                f"at {unanswered} got no answer and may have made the form (EasyPost puts a label on one scan "
                "form only). In the EasyPost dashboard under Scan Forms, find the form listing this manifest's "
                f"tracking numbers and record it with: fulfilstation manifest scan-form {number} --id sf_…")
    return (f"Manifest {number} is closed, but its EasyPost scan form is missing: {problem.message} "
            f"{scan_form_retry(number)}")


def scan_form_after_close(database: Database, actor: Actor, info: ManifestInfo, adapter: EasyPostAdapter | None,
                          make_adapter: AdapterFactory = adapter_for,
                          make_gateway: GatewayFactory = gateway_for) -> ManifestInfo:
    """Called by ``close_manifest`` after its commit: the scan form of an EasyPost manifest.
    Whatever happens here, the manifest stays closed, and the result says what is missing."""
    if not info.scan_form_expected:
        return info
    try:
        return attach_scan_form(database, actor, info.id, adapter, make_adapter, make_gateway)
    except Exception as exc:  # the manifest is committed: never report the close as failed
        log.exception("scan form of manifest %s", info.number)
        return replace(info, scan_form_problem=(
            f"Manifest {info.number} is closed, but its EasyPost scan form could not be made "
            f"({type(exc).__name__}). {scan_form_retry(info.number)}"))
