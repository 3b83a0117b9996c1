"""Builds of installable FulfilStation packages (not part of the application)."""
