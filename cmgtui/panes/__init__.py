"""The main screen's navigation panes: one module or folder per entry."""
