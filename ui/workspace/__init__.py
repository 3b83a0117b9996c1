"""The workspace: one main window whose navigation shows each role the screens it may use."""
