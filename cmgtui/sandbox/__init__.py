"""The embedded sandbox tenant: loopback HTTPS answering the sign-in, ARM and Graph calls.

Import :class:`~cmgtui.sandbox.server.SandboxServer` from ``cmgtui.sandbox.server``;
this package module stays empty so that importing the package costs nothing.
"""
