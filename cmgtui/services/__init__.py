"""Use cases that both fronts run: the TUI's panes and the headless commands call the same function.

A service takes the profile (a plain value) and a gateway the front opened, does the cloud
work, and returns a typed result (a frozen dataclass). Recording a result in a profile is one
function next to it, so evidence and one-time values are recorded in one place; saving the
profile and showing the result stay with the front. Services never import the UI toolkit.
"""
