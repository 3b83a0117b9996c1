"""The offline address checks an import runs on every order: ``review_address`` (country,
region, postal code format, phone) on a mix of real-looking addresses from 20 countries,
some well formed, some to correct, some wrong. A 100,000-line import has some 30,000
orders; this says what their address checks cost.

    .venv/bin/python bench/address_checks.py [--orders 30000]

Prints figures; asserts nothing. Pure: no database.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fulfilstation.domain.address_rules import review_address  # noqa: E402

SAMPLES = [
    ("US", "43215-6108", "OH", "(614) 466-3455"), ("United States", "432156108", "Ohio", "614 466 3455"),
    ("CA", "k1a0a6", "ON", "613-992-4211"), ("GB", "SW1A 2AA", None, "020 7925 0918"),
    ("DE", "11011", None, "030 227-0"), ("FR", "75008", None, "01 42 92 81 00"), ("NL", "2513aa", None, None),
    ("AU", "2600", "ACT", "02 6277 7111"), ("JP", "1008914", None, "03-3581-2361"), ("BR", "70150-900", None, None),
    ("IE", "D02 HX65", None, "01 618 3000"), ("HK", "", None, "2878 3300"), ("ES", "99001", None, None),
    ("SE", "10012", None, "08-786 40 00"), ("PL", "00-902", None, None), ("IN", "110004", None, "011 2301 5321"),
    ("MX", "06066", None, None), ("KR", "03048", None, "02-730-5800"), ("XX", "12345", None, None),
    ("CH", "3003", None, "058 322 87 90"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=30_000)
    args = parser.parse_args()
    addresses = [{"name": "Ada Lovelace", "line1": "1 Main Street", "city": "City", "country": country,
                  "postal_code": postal, "region": region, "phone": phone}
                 for country, postal, region, phone in itertools.islice(itertools.cycle(SAMPLES), args.orders)]
    review_address(addresses[0])  # tables loaded once (pycountry, phonenumbers metadata)
    timings = []
    started = time.perf_counter()
    for address in addresses:
        begun = time.perf_counter()
        review_address(address)
        timings.append(time.perf_counter() - begun)
    total = time.perf_counter() - started
    timings.sort()
    print(f"review_address: {args.orders} addresses in {total:.2f} s "
          f"({args.orders / total:,.0f}/s); median {statistics.median(timings) * 1e6:.0f} µs, "
          f"p99 {timings[int(len(timings) * 0.99)] * 1e6:.0f} µs, max {timings[-1] * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
