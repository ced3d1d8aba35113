"""Part 5: client settings, command lines and the service-name probe."""
