"""The first-run set-up assistant: shown when the window starts on a PC without station
settings, before anything else is opened (``ui.app.Launcher``)."""

from ui.setup_assistant.wizard import SetupAssistant

__all__ = ["SetupAssistant"]
