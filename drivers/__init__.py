"""Device drivers and simulators implementing ``fulfilstation.ports``."""
