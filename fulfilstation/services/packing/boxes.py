"""Boxes and packages of a pack: choose the box, weigh and close a package.

A package is recorded with its measured weight only when that weight is steady and inside
the expected range (items in the package + the box's tare, with the site tolerance), or
when a manager or owner signed in to accept it deliberately (``Weighing.override`` with a
``Weighing.reason``: refused without one; checked here with ``Permission.ACCEPT_WEIGHT``
and audited as ``weight.override`` naming them, with the reading, the range, the
difference and the reason). ``ship`` (``fulfilstation.services.shipping``) records the
last package the same way. Weights in messages are in the site's unit.

A packer's weighing over or under the range (no manager accepting it, the scale not empty)
is refused with a ``WeightRefused``: the caller's ``weight_refusals.refusals_recorded``
writes it down after the rollback, for the packers' report.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import BoxType, Package, PackSession
from fulfilstation.domain.enums import PackSessionStatus
from fulfilstation.domain.roles import Permission
from fulfilstation.domain.units import format_weight
from fulfilstation.domain.weight_check import ExpectedWeight, WeightVerdict
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor, authorize
from fulfilstation.services.packing.loading import (
    SessionState,
    build_view,
    expected_weight,
    load_state,
    suggested_box,
)
from fulfilstation.services.packing.memo import forget
from fulfilstation.services.packing.views import PackRefused, PackView, Refusal
from fulfilstation.services.packing.weight_refusals import RefusedWeighing, WeightRefused, refusals_recorded
from fulfilstation.services.site.settings import weight_unit_of


@dataclass(frozen=True)
class Weighing:
    """A reading of the scale for a package; ``override`` is the signed-in manager or owner
    who accepts a weight outside the expected range (None: the weight must be in range)
    and ``reason`` why (one of ``weight_check.OVERRIDE_REASONS`` and/or free text; an
    override without a reason is refused)."""

    grams: int
    stable: bool = True
    override: Actor | None = None
    reason: str = ""


def close_package(database: Database, session_id: int, weighing: Weighing, station_id: int | None,
                  user_id: int) -> PackView:
    """Close the open package (multi-package orders) at ``station_id``: weigh it and start the
    next. A weight refused is recorded as ``user_id``'s."""
    forget(database, session_id)
    with refusals_recorded(database, user_id), database.unit_of_work() as session:
        pack = open_pack(session, session_id)
        if pack.station_id != station_id:
            raise PackRefused(Refusal.NOT_ALLOWED, "This pack is open at another station: weigh it there.")
        state = load_state(session, pack)
        if not state.in_package:
            raise PackRefused(Refusal.INCOMPLETE, "This package is empty: scan items into it first.")
        record_package(session, state, weighing)
        pack.box_type_id = None
        return build_view(session, load_state(session, pack))


def open_pack(session: Session, session_id: int) -> PackSession:
    pack = session.get(PackSession, session_id)
    if pack is None or pack.status != PackSessionStatus.OPEN.value:
        raise PackRefused(Refusal.SESSION_CLOSED, "This pack is finished. Scan the next order.")
    return pack


def record_package(session: Session, state: SessionState, weighing: Weighing) -> Package:
    if not weighing.stable:
        raise PackRefused(Refusal.WEIGHT_UNSTABLE, "The scale is still moving: wait for a steady weight.")
    box = session.get(BoxType, state.session.box_type_id) if state.session.box_type_id else None
    if box is None:
        box = suggested_box(session, state)
    expected = expected_weight(session, state, box)
    verdict = expected.verdict(weighing.grams)
    unit = weight_unit_of(session)
    if verdict is not WeightVerdict.OK:
        _require_override(weighing, expected, unit, _refused(state, weighing, expected, verdict))
    override = weighing.override if verdict is not WeightVerdict.OK else None
    package = Package(pack_session_id=state.session.id, sequence=state.package_sequence,
                      box_type_id=box.id if box else None, weight_measured_g=weighing.grams,
                      weight_expected_g=expected.expected_g,
                      weight_override_by_id=override.user_id if override else None,
                      length_mm=box.inner_length_mm if box else None, width_mm=box.inner_width_mm if box else None,
                      height_mm=box.inner_height_mm if box else None)
    session.add(package)
    session.flush()
    if override is not None:
        audit.record(session, override, "weight.override", "package", package.id,
                     {"measured_g": weighing.grams, "expected_g": expected.expected_g, "min_g": expected.min_g,
                      "max_g": expected.max_g, "difference_g": weighing.grams - expected.expected_g,
                      "reason": weighing.reason.strip(), "unit": unit, "accepted_by": override.full_name,
                      "order": state.order.number, "package": package.sequence})
    return package


def _refused(state: SessionState, weighing: Weighing, expected: ExpectedWeight,
             verdict: WeightVerdict) -> RefusedWeighing:
    return RefusedWeighing(state.session.id, state.session.station_id, state.package_sequence, weighing.grams,
                           expected, verdict)


def _require_override(weighing: Weighing, expected: ExpectedWeight, unit: str, refused: RefusedWeighing) -> None:
    code = Refusal.WEIGHT_OVER if refused.verdict is WeightVerdict.OVER else Refusal.WEIGHT_UNDER
    explanation = expected.explain(weighing.grams, unit)
    if expected.is_empty_scale(weighing.grams):
        raise PackRefused(code, explanation)  # nothing to accept: a manager cannot ship an empty scale
    if weighing.override is None:  # the packer's weighing refused: recorded (weight_refusals)
        raise WeightRefused(code, explanation + " A manager can accept the weight by scanning their badge.", refused)
    authorize(weighing.override, Permission.ACCEPT_WEIGHT, "accept a weight outside the range")
    if not weighing.reason.strip():
        raise PackRefused(code, f"{weighing.override.full_name} must give a reason to accept "
                          f"{format_weight(weighing.grams, unit)} (expected {expected.range_text(unit)}): "
                          "choose one or type it, then confirm.")


def check_complete(state: SessionState) -> None:
    missing = [f"{line.quantity - state.scanned.get(line.id, 0)} × {product.name}"
               for line, product in state.lines if state.scanned.get(line.id, 0) < line.quantity]
    if missing:
        raise PackRefused(Refusal.INCOMPLETE, "Not everything is scanned yet. Still missing: " + ", ".join(missing))
