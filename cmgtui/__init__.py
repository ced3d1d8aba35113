"""cmgtui: plan, check and perform a ConfigMgr cloud management gateway setup from a terminal."""

__version__ = "0.1.0"
