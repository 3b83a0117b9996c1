"""A product's demand forecast from its shipped history (pure: numbers in, numbers out).

The history is the units shipped per day (``ship`` stock moves), zero-filled, from the
product's first shipping day inside the window to today (today so far included). The model
is chosen by how much history there is — never home-made maths, always statsmodels'
exponential smoothing:

* at least three full weeks (``SEASONAL_MIN_DAYS``; statsmodels' heuristic start needs
  10 + 2·(7 // 2) = 16 points and two whole seasons, three weeks leaves a margin):
  Holt-Winters (``ExponentialSmoothing``: damped additive trend, additive weekly
  seasonality, ``seasonal_periods=7``), heuristic start values, fitted by least squares
  without the brute grid search (a few ms per product on an idle machine);
* ``TREND_MIN_DAYS`` days up to three weeks: Holt's damped trend (``ExponentialSmoothing``
  with a damped additive trend, no seasonality);
* ``SIMPLE_MIN_DAYS`` days up to ``TREND_MIN_DAYS``: simple exponential smoothing
  (``SimpleExpSmoothing``);
* a single shipping day: that day's units per day (``DAILY_AVERAGE``: nothing to smooth);
* nothing shipped in the window: no demand (0).

The trend is always damped with a fixed factor (``DAMPING``, 0.8): however long the lead
time, a trend adds at most DAMPING / (1 − DAMPING) = 4 days' worth of its slope, so a late
spike (a busy weekend) is not projected over the whole lead time.

Invariants: every forecast day is ≥ 0 (clipped); statsmodels' warnings (convergence,
start values) are caught here and never reach the user; a model that cannot be fitted at
all falls back to the daily average of the history, and the method says so
(``AVERAGE``, "model failed" — as opposed to ``DAILY_AVERAGE`` for a single day). The method
used is named in words for the report. Threading: pure CPU work, any thread.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported on the first forecast: numpy is ~20 MB a packing station never needs
    import numpy as np

SEASONAL_DAYS = 7  # one week: demand differs by weekday
SEASONAL_MIN_DAYS = 3 * SEASONAL_DAYS  # Holt-Winters from three weeks (statsmodels needs 16 points)
TREND_MIN_DAYS = 5  # Holt's trend needs a few points to see a slope
SIMPLE_MIN_DAYS = 2  # statsmodels cannot smooth a single point
DAMPING = 0.8  # the trend's damping factor φ: it adds at most φ/(1−φ) = 4 days of slope
# statsmodels' least-squares fit of the smoothing parameters: the same fit as its default
# (L-BFGS-B on the SSE) in a third to an eighth of the time, measured on 120-day histories.
FIT_METHOD = "least_squares"
CACHE_SIZE = 8192  # forecasts remembered: a few thousand products' worth

HOLT_WINTERS = "Holt-Winters (damped trend + weekly)"
HOLT = "Holt (damped trend)"
SIMPLE = "simple smoothing"
DAILY_AVERAGE = "daily average (one day shipped)"
AVERAGE = "daily average (model failed)"
NO_HISTORY = "no shipments"


@dataclass(frozen=True)
class Forecast:
    """Units expected to ship on each of the next ``len(days)`` days, and how it was made."""

    days: tuple[float, ...]
    method: str

    @property
    def total(self) -> float:
        return float(sum(self.days))

    @property
    def per_day(self) -> float:
        return self.total / len(self.days) if self.days else 0.0

    def units(self) -> int:
        """The forecast demand over its horizon in whole units (rounded up: a part unit is
        still a unit to have on the shelf)."""
        return math.ceil(self.total - 1e-9)


def forecast_demand(history: Sequence[float], horizon: int) -> Forecast:
    """The forecast of the next ``horizon`` days from ``history`` (units per day, oldest
    first, zero-filled). Remembered per (history, horizon) in this process (``CACHE_SIZE``
    entries, thread-safe): the screen reloads the report on every stock change, and a
    product whose shipped history did not change is not fitted again."""
    return _forecast(tuple(float(value) for value in history), horizon)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _forecast(history: tuple[float, ...], horizon: int) -> Forecast:
    import numpy as np

    if horizon <= 0:
        return Forecast((), NO_HISTORY)
    series = np.asarray(history, dtype=float)
    if series.size == 0 or not series.any():
        return Forecast(tuple(0.0 for _ in range(horizon)), NO_HISTORY)
    if series.size < SIMPLE_MIN_DAYS:
        return Forecast(tuple(float(series.mean()) for _ in range(horizon)), DAILY_AVERAGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                values, method = _fit(series, horizon)
        if not np.all(np.isfinite(values)):
            raise ValueError("the model gave no number")
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError):
        values, method = np.full(horizon, float(series.mean())), AVERAGE
    return Forecast(tuple(float(max(0.0, value)) for value in values), method)


def _fit(series: np.ndarray, horizon: int) -> tuple[np.ndarray, str]:
    # imported here, on the first forecast: statsmodels (with scipy) takes about 2 s to import,
    # which every CLI command and the window's start would otherwise pay
    import numpy as np
    from statsmodels.tsa.holtwinters import ExponentialSmoothing, SimpleExpSmoothing

    if series.size >= SEASONAL_MIN_DAYS:
        model = ExponentialSmoothing(series, trend="add", damped_trend=True, seasonal="add",
                                     seasonal_periods=SEASONAL_DAYS, initialization_method="heuristic")
        fitted = model.fit(damping_trend=DAMPING, use_brute=False, method=FIT_METHOD)
        return np.asarray(fitted.forecast(horizon)), HOLT_WINTERS
    if series.size >= TREND_MIN_DAYS:
        holt = ExponentialSmoothing(series, trend="add", damped_trend=True, initialization_method="estimated")
        fitted = holt.fit(damping_trend=DAMPING, use_brute=False, method=FIT_METHOD)
        return np.asarray(fitted.forecast(horizon)), HOLT
    simple = SimpleExpSmoothing(series, initialization_method="estimated")
    return np.asarray(simple.fit().forecast(horizon)), SIMPLE
