"""The rehearsal tenant's published sign-in facts: its tenant ID and its administrator's name.

Both sides need them and neither may import the other: the client's sandbox sign-in
(``cloud.credentials``) asks for a token for this user in this tenant, and the sandbox server
(``sandbox.state``) seeds its tenant with them. Keeping them here lets an import-linter contract
hold the client and the fake apart.
"""

TENANT_ID = "72f988bf-0000-4000-8000-00000000c0de"
USER_UPN = "admin@contoso.onmicrosoft.com"
