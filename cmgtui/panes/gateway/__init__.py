"""Part 4: the CMG in Azure, its pre-flight and the connection point."""
