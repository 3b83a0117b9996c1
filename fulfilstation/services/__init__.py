"""Use cases, one subpackage per area, reached through ``fulfilstation.services.app.AppServices``."""
