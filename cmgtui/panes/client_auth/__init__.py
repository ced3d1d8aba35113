"""Part 3: the client authentication pane and its trusted CA panel."""
