"""Reusable widgets: status badge, header, field rows, rule report."""
