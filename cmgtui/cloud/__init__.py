"""The cloud layer: sign-in, Azure Resource Manager and Microsoft Graph gateways, retries,
error mapping, the operations journal, and the embedded sandbox tenant.

Every module here imports the Azure and Graph SDKs inside functions only, so importing
``cmgtui.cloud`` (or any submodule) never loads ``azure`` or ``msgraph``; the TUI's first
frame does not pay for them.

How the pieces fit (all gateway methods are async; run them in Textual workers):

* ``credentials.open_session(method, environment, ..., tenant_id=...)`` -> ``CloudSession``
  (``sign_in()``, ``cancel_sign_in()``, ``sign_out()``); ``sandbox.server.SandboxServer`` for the
  sandbox tenant (``SandboxServer.from_environment()`` keeps its tenant in the sandbox folder,
  takes a ``sandbox.scenario`` file, or attaches to a running one), ``sandbox.show`` to list it.
* ``arm.ArmGateway(session)`` and ``graph.GraphGateway(session)``, used as
  ``async with``; they return the dataclasses of ``models`` and raise only
  ``errors.CloudError(kind, message, what_to_do)``.
* ``app_registration.create_apps`` / ``resume`` with a ``journal.OperationsJournal``;
  ``app_verify.verify_apps`` for imported apps.
* ``evidence`` turns results into the profile ``Evidence`` records the domain rules read.
* Long operations take ``log=`` (one line per call, never a secret or a token).
"""
