"""Part 1: the server authentication certificate pane and its flows."""
