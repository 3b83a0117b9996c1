"""A refusal crosses a process boundary whole (a worker process's use case refusing reaches
its parent): pickling rebuilt it from ``args`` alone, which raised inside
``multiprocessing.Pool``'s result thread and left the pool waiting forever."""

from __future__ import annotations

import multiprocessing
import pickle

import pytest

from fulfilstation.services.packing import PackRefused, Refusal
from fulfilstation.services.refused import NotAllowed, Refused
from fulfilstation.services.users import SignInRefused


@pytest.mark.parametrize("refused", [
    Refused("some-code", "Something was refused."),
    NotAllowed("A packer may not close a manifest."),
    SignInRefused("locked", "Locked for 5 minutes."),
    PackRefused(Refusal.NOT_ON_ORDER, "That item is not on this order."),
])
def test_a_refusal_survives_pickling_with_its_type_code_and_message(refused: Refused) -> None:
    again = pickle.loads(pickle.dumps(refused))
    assert type(again) is type(refused)
    assert (again.code, again.message, str(again), again.args) == (refused.code, refused.message, str(refused),
                                                                   refused.args)


def _refuse(_: int) -> None:
    raise SignInRefused("locked", "Packer One is locked after 5 wrong PINs.")


def test_a_refusal_in_a_pool_worker_reaches_the_caller() -> None:
    with (multiprocessing.get_context("spawn").Pool(1) as pool,
          pytest.raises(SignInRefused, match="locked after 5 wrong PINs")):
        pool.map_async(_refuse, [1]).get(timeout=60)
