"""Carriers: tracking numbers from the shipper's own number ranges, and (later) API carriers."""
