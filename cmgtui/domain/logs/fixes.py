"""Fix texts that depend on the profile: its values fill them and its site version chooses them.

Every function takes the :class:`~cmgtui.domain.logs.facts.ProfileFacts` of the run and returns
one or more whole sentences. Without a value the sentence names what to look up instead, so a
fix never reads "the the CMG name" or leaves a blank.
"""

from __future__ import annotations

from cmgtui.domain.logs.facts import ProfileFacts

#: The update rollup after which Deployment Maintenance fails on zonal public IPs (public-ip-creation-error.md).
ROLLUP_2503 = "KB32851084"
#: Current-branch release that includes the fix for the 2503 public IP maintenance failure.
FIXED_IN = 2509


def site(f: ProfileFacts) -> str:
    """``site ABC`` or ``the primary site``."""
    return f"site {f.site_code.strip()}" if f.site_code.strip() else "the primary site"


def resource_group(f: ProfileFacts) -> str:
    """``resource group RG`` or how to find it."""
    group = f.resource_group.strip()
    return f"resource group {group}" if group else "the CMG's resource group (named after the service)"


def cmg_fqdn(f: ProfileFacts) -> str:
    """The CMG's service FQDN, or a placeholder that says what goes there."""
    return f.named(f.service_name, "<CMG service FQDN>")


def server_app(f: ProfileFacts) -> str:
    """``the server app CMG-ServerApp (id)`` or ``the server app``."""
    named = f.server_app
    return named if named.startswith("the server app") else f"the server app {named}"


def version_said(f: ProfileFacts) -> str:
    """``This site is version 2409. `` or nothing when the profile has no version."""
    return f"This site is version {f.site_version}. " if f.site_version is not None else ""


def certificate_presented(f: ProfileFacts) -> str:
    """Check the server certificate clients are shown."""
    return (f"Make the certificate clients see have the CN {f.named(f.service_name, 'of your CMG service name')}: open "
            f"https://{cmg_fqdn(f)}/CCM_Proxy_MutualAuth/ServiceMetadata in a browser and check the "
            "certificate it presents (a TLS-inspecting proxy that replaces it breaks clients).")


def crl_for_clients(f: ProfileFacts) -> str:
    """The CRL advice: /NoCRLCheck only for the ccmsetup bootstrap, the site option for ongoing traffic."""
    return ("Publish the CRL on the internet. If you can't: /NoCRLCheck on the ccmsetup command line only "
            "covers the client's installation (bootstrap); for ongoing client traffic clear 'Clients check "
            f"the certificate revocation list (CRL) for site systems' in the properties of {site(f)} "
            "(Administration > Site Configuration > Sites > Properties > Communication Security).")


def client_token(f: ProfileFacts) -> str:
    """The 401 CMGService_Invalid_Token fix: which token expired and how each one is renewed."""
    return ("Two tokens can be behind this. The client's own token is valid 90 days and the client renews "
            "it monthly through the CMG; one not renewed within 90 days needs a direct connection to an "
            "internal management point. A bulk registration token (/regtoken) is valid 3 days by default, "
            "7 at most, and can't be renewed: create a new one on the top-level site server with "
            "'BulkRegistrationTokenTool.exe /new' and reinstall the client with it"
            + (f" (SMSSITECODE={f.site_code.strip()})." if f.site_code.strip() else "."))


def contributor_on_group(f: ProfileFacts) -> str:
    """AuthorizationFailed since 1810: the server app's Contributor role on the CMG resource group."""
    lead = version_said(f)
    if f.site_version is not None and f.site_version < 1810:
        return (lead + f"Before 1810 {server_app(f)} had Contributor on {f.subscription}: "
                "check that assignment, then redeploy.")
    return (lead + f"Since 1810 {server_app(f)} has Contributor only on {resource_group(f)} "
            f"(and Read on {f.subscription}): check that its Contributor assignment on the resource group "
            "is still there (Access control (IAM)), then redeploy.")


def public_ip_2503(f: ProfileFacts) -> str:
    """The 2503 rollup's Deployment Maintenance failure, by site version."""
    check = (f"In the Azure portal, the Activity log of {resource_group(f)} shows 'Create or Update Public Ip "
             "Address' with 'has an existing availability zone constraint 1, 2, 3 and the request has "
             "availability zone constraint NoZone' when it is this known issue.")
    version = f.site_version
    if version is None:
        return (check + f" It follows the update rollup for 2503 ({ROLLUP_2503}) in regions with availability "
                "zones; Microsoft says to ignore it (the CMG returns to Ready) until the fix, which is in "
                f"version {FIXED_IN}. Set the site version in the profile to get the advice for your site.")
    if version < 2503:
        return (version_said(f) + "The 2503 rollup issue can't apply here: open the deployment operations of "
                f"{resource_group(f)} in the portal for the real error (CloudMgr.log doesn't include it).")
    if version < FIXED_IN:
        return (version_said(f) + check + " Microsoft says to ignore it (the CMG flips back to Ready and the "
                f"task retries every 20 minutes); updating to {FIXED_IN} or later removes it.")
    return (version_said(f) + f"Version {FIXED_IN} and later include the fix for the 2503 rollup issue, so "
            f"this failure has another cause: open the deployment operations of {resource_group(f)} in the "
            "portal for the real error (CloudMgr.log doesn't include it).")


def console_sign_in(f: ProfileFacts) -> str:
    """MsalUiRequiredException: the hotfix for the site's version."""
    version = f.site_version
    fixes = ("2207: hotfix rollup KB15152495; 2203: limited release hotfix KB15986968 (after rollup "
             "KB14244456); 2111: limited release hotfix KB15986968 (after rollup KB12896009)")
    if version is None:
        return f"Install the fix for your version ({fixes}); 2211 and later aren't affected."
    if version >= 2211:
        return (version_said(f) + "This known issue doesn't occur from 2211: sign in again in the wizard and "
                "read the Entra error that follows the exception in SMSAdminUI.log.")
    if version in (2111, 2203, 2207):
        return version_said(f) + f"Install its fix: {fixes}."
    return version_said(f) + "Update to 2211 or later, where this issue doesn't occur."


def entra_sign_in(f: ProfileFacts) -> str:
    """AADSTS: check the server app, its secret, consent and Conditional Access."""
    return (f"Look the AADSTS code up in the Entra error-code reference. Check {server_app(f)} "
            f"in tenant {f.named(f.tenant_id, '<tenant ID>')}: its secret isn't expired, admin consent is "
            "granted, and Conditional Access policies exclude it (a policy that requires MFA or a compliant "
            "device blocks the site's app-only sign-in).")


def client_entra_log(f: ProfileFacts) -> str:
    """Where the client's Entra token requests are logged, by version."""
    version = f.site_version
    if version is not None and version < 2107:
        return "Read ADALOperationProvider.log on the client for the token request."
    return "Read CcmAad.log on the client for the token request (it replaced ADALOperationProvider.log in 2107)."


def content_tls12(f: ProfileFacts) -> str:
    """CMGContentService TLS failure: the 1906 / 1910 early-ring known issue, by site version."""
    version = f.site_version
    workaround = ("update the site to the globally available 1910 build (20 December 2019) or later, or serve "
                  "content from a classic cloud distribution point meanwhile.")
    if version is None:
        return ("With 'Enforce TLS 1.2' on a content-enabled CMG this is a known issue of version 1906 and the "
                "1910 early update ring: " + workaround + " Set the site version in the profile for advice "
                "for your site.")
    if version < 1910:
        return version_said(f) + "This is the known issue with 'Enforce TLS 1.2' on a content-enabled CMG: " + workaround
    if version == 1910:
        return (version_said(f) + "If the site took 1910 in the early update ring, this is the known issue with "
                "'Enforce TLS 1.2' on a content-enabled CMG: " + workaround)
    return (version_said(f) + "The 1906 known issue is fixed in this version: check the TLS settings of the CMG "
            "(Enforce TLS 1.2) and that clients support TLS 1.2.")
