"""Issuing tracking numbers from a carrier account's number range.

The next serial is taken with one conditional ``UPDATE … RETURNING`` in the shipment's own
transaction: two stations can never receive the same serial, a rolled-back shipment gives
its number back, and an exhausted range is refused by the CHECK constraint and the WHERE.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.carriers.check_digits import fedex_express_tracking, sscc, ups_tracking, usps_impb_tracking
from fulfilstation.db.models import CarrierAccount, CarrierService, NumberRange
from fulfilstation.domain.enums import NumberRangeKind

LOCAL_KINDS = frozenset({NumberRangeKind.UPS, NumberRangeKind.USPS_IMPB, NumberRangeKind.FEDEX_EXPRESS,
                         NumberRangeKind.SSCC})


class NumberRangeExhausted(RuntimeError):
    pass


def next_serial(session: Session, range_id: int) -> int:
    taken = session.execute(
        update(NumberRange).where(NumberRange.id == range_id, NumberRange.next_value <= NumberRange.last_value)
        .values(next_value=NumberRange.next_value + 1).returning(NumberRange.next_value)
    ).scalar_one_or_none()
    if taken is None:
        raise NumberRangeExhausted("This carrier account has used up its tracking numbers: ask the carrier for a "
                                   "new range and add it with 'fulfilstation carriers add-range ACCOUNT "
                                   "--range-kind KIND --first N --last N --replace'.")
    return int(taken) - 1


def tracking_range(session: Session, account: CarrierAccount) -> NumberRange | None:
    return session.scalar(select(NumberRange).where(
        NumberRange.carrier_account_id == account.id, NumberRange.kind.in_([k.value for k in LOCAL_KINDS])))


def issue_tracking_number(session: Session, account: CarrierAccount, service: CarrierService,
                          number_range: NumberRange) -> str:
    serial = next_serial(session, number_range.id)
    kind = NumberRangeKind(number_range.kind)
    if kind is NumberRangeKind.UPS:
        return ups_tracking(account.account_number, service.service_code, serial)
    if kind is NumberRangeKind.USPS_IMPB:
        return usps_impb_tracking(service.service_code, account.account_number, serial)
    if kind is NumberRangeKind.FEDEX_EXPRESS:
        return fedex_express_tracking(serial)
    return sscc(number_range.prefix or "0", account.account_number, serial)
