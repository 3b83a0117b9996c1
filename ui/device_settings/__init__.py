"""The parts of the station settings dialog: the choices offered for each device and one
row (address box, Test button, result) per device. See ``ui.settings_dialog``."""
