"""Device simulators (part of the product: demo mode, technicians, tests)."""
