from ui.integrations.screen import IntegrationsScreen

__all__ = ["IntegrationsScreen"]
