"""Which catalogued log an entry belongs to, from the component that wrote it.

An entry's component, not the name of the file it was copied into, says what it is about: a
CMTrace ``component="…"`` attribute or a server trailer's ``$$<component>``. Client components
write logs of their own name (``ccmsetup`` writes ccmsetup.log); site-server components have
names of their own:

* SMS_CLOUD_SERVICES_MANAGER writes CloudMgr.log (memdocs
  ``memdocs/configmgr/core/get-started/2021/technical-preview-2105.md``: "lines from the
  SMS_CLOUD_SERVICES_MANAGER … in the cloudmgr.log");
* SMS_CLOUD_PROXYCONNECTOR writes SMS_Cloud_ProxyConnector.log and CMGService writes
  CMGService.log (memdocs ``memdocs/configmgr/core/clients/manage/azure-ccmsetup.md``);
* SMS_MP_FILE_DISPATCH_MANAGER writes mpfdm.log (SupportArticles-docs, "Troubleshoot
  co-management: Bootstrap with modern provisioning").

An entry whose component is none of these, in a file that is none of the catalogued logs
(AppEnforce.log, DataTransferService.log, …), is not about the CMG: no signature applies.
"""

from __future__ import annotations

from cmgtui.domain.logs.names import base_log_name

#: Site-server component (lower case) -> the base name of the log it writes.
SERVER_COMPONENTS: dict[str, str] = {
    "sms_cloud_services_manager": "CloudMgr",
    "sms_cloud_proxyconnector": "SMS_Cloud_ProxyConnector",
    "cmgservice": "CMGService",
    "sms_mp_file_dispatch_manager": "mpfdm",
}


def log_of(component: str, file: str, known_logs: frozenset[str]) -> tuple[str | None, bool]:
    """(the catalogued log, lower case, whose signatures apply; whether its catch-alls do too).

    ``component`` decides when it names a catalogued log, and only then do the log's catch-alls
    (any error entry) apply. An unknown component in a catalogued file gets that log's specific
    signatures only; an unknown component elsewhere is about something else: ``("", False)``,
    no signature. Without a component (plain text, a cut entry) the file's name decides, and a
    file of unknown name gets ``(None, False)``: the specific signatures of every log.
    """
    by_file = base_log_name(file).lower()
    by_file = by_file if by_file in known_logs else ""
    name = component.strip().lower()
    if name:
        owner = SERVER_COMPONENTS.get(name, name).lower()
        return (owner, True) if owner in known_logs else (by_file, False)
    return (by_file, False) if by_file else (None, False)
