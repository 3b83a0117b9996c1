"""Labels (``LabelsService``): bin labels and product labels — printed on the station's label
printer (ZPL) or written as ZPL and PDF (sheets of small labels on A4 / Letter)."""

from fulfilstation.services.labels.products import LabelsRefused
from fulfilstation.services.labels.service import LabelsPrinted, LabelsService

__all__ = ["LabelsPrinted", "LabelsRefused", "LabelsService"]
