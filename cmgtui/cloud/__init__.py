"""The cloud layer: sign-in, Azure Resource Manager and Microsoft Graph gateways, retries,
error mapping, the operations journal, and the embedded sandbox tenant.

Every module here imports the Azure and Graph SDKs inside functions only, so importing
``cmgtui.cloud`` (or any submodule) never loads ``azure`` or ``msgraph``; the TUI's first
frame does not pay for them.
"""
