"""cmgtui: plan, check and perform a ConfigMgr cloud management gateway setup from a terminal."""

__version__ = "0.2.0"  # the one place the version is written (pyproject reads it; see CHANGELOG.md)
