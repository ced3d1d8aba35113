"""One module per screen or main-screen pane."""
