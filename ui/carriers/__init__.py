from ui.carriers.screen import CarriersScreen

__all__ = ["CarriersScreen"]
