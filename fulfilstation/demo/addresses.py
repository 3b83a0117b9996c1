"""Ship-to addresses for demo orders (fictitious people at plausible addresses)."""

from __future__ import annotations

Address = tuple[str, str | None, str, str | None, str, str, str, str, bool]
"""name, company, line1, line2, city, region, postal code, country, residential"""

DEMO_ADDRESSES: list[Address] = [
    ("Avery Johnson", None, "742 Evergreen Terrace", None, "Springfield", "IL", "62704", "US", True),
    ("Jordan Lee", None, "1600 Pennsylvania Ave NW", "Apt 2", "Washington", "DC", "20500", "US", True),
    ("Riley Martinez", "Martinez Design LLC", "350 5th Ave", "Suite 4100", "New York", "NY", "10118", "US", False),
    ("Casey Nguyen", None, "88 Colin P Kelly Jr St", None, "San Francisco", "CA", "94107", "US", True),
    ("Taylor Brooks", None, "4059 Mt Lee Dr", None, "Los Angeles", "CA", "90068", "US", True),
    ("Morgan Patel", None, "233 S Wacker Dr", "Floor 103", "Chicago", "IL", "60606", "US", False),
    ("Jamie O'Connor", None, "12 Beacon St", None, "Boston", "MA", "02108", "US", True),
    ("Quinn Anderson", None, "400 Broad St", None, "Seattle", "WA", "98109", "US", True),
    ("Dakota Rivera", None, "1 Rocket Rd", None, "Hawthorne", "CA", "90250", "US", False),
    ("Skyler Thompson", None, "2211 N 1st St", "Unit 17", "San Jose", "CA", "95131", "US", True),
    ("Peyton Garcia", None, "500 E Main St", None, "Louisville", "KY", "40202", "US", True),
    ("Reese Kim", None, "1000 Ocean Dr", "Apt 1203", "Miami Beach", "FL", "33139", "US", True),
    ("Emerson Wright", None, "3601 S Broad St", None, "Philadelphia", "PA", "19148", "US", True),
    ("Rowan Scott", None, "1 Lambeau Ct", None, "Green Bay", "WI", "54304", "US", True),
    ("Hayden Clark", None, "2600 Benjamin Franklin Pkwy", None, "Philadelphia", "PA", "19130", "US", True),
    ("Finley Adams", None, "75 Amherst St", None, "Cambridge", "MA", "02142", "US", False),
    ("Sage Turner", None, "1201 Elm St", None, "Dallas", "TX", "75270", "US", True),
    ("Zoë Łukasiewicz-Fernández", None, "47 W 13th St", "Apt 5C", "New York", "NY", "10011", "US", True),
    ("Christopher Alexander Montgomery-Wellington III", "The Very Long Company Name Holdings International Inc",
     "12345 Extraordinarily Long Boulevard Name Northwest", "Building 7, Floor 12, Suite 1200, Mailstop 42",
     "Rancho Santa Margarita", "CA", "92688", "US", False),
    ("Parker Evans", None, "901 Cherry Ave", None, "San Bruno", "CA", "94066", "US", True),
    ("Blake Foster", None, "1 Infinite Loop", None, "Cupertino", "CA", "95014", "US", False),
    ("Charlie Hughes", None, "410 Terry Ave N", None, "Seattle", "WA", "98109", "US", False),
    ("Kendall Price", None, "700 Clark Ave", None, "St. Louis", "MO", "63102", "US", True),
    ("Logan Bennett", None, "2000 Lakeshore Dr", None, "Chicago", "IL", "60616", "US", True),
    ("Marie Dubois", None, "1200 Rue Sainte-Catherine O", None, "Montréal", "QC", "H3B 1K9", "CA", True),
    ("Jonas Müller", None, "Friedrichstraße 123", None, "Berlin", "BE", "10117", "DE", True),
    ("佐藤 花子", None, "丸の内1-9-1", None, "千代田区, 東京都", "13", "100-0005", "JP", True),
    ("Harper Collins", None, "15 Main St", "PO Box 12", "Bar Harbor", "ME", "04609", "US", True),
    ("Elliot Ramirez", None, "6000 N Terminal Pkwy", None, "Atlanta", "GA", "30320", "US", False),
    ("Devon Ward", None, "1 Championship Dr", None, "Fairbanks", "AK", "99701", "US", True),
]
