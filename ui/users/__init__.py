"""The owner's Users screen and its dialogs."""
