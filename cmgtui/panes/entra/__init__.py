"""Part 2: the Microsoft Entra app registrations pane and its flows."""
