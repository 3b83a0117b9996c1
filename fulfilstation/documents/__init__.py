"""Documents the station prints: labels, packing slips, manifests, test pages.

Pure builders (data in, bytes out): no Qt, no devices, no database. Callers send the
bytes through a ``fulfilstation.ports`` printer, off the GUI thread.
"""
