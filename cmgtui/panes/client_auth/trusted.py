"""Part 3 panels for PKI and tokens: trusted CA certificates to upload, and bulk tokens.

The trusted-certificate panel takes ``.cer`` paths (typed or browsed), checks the whole set
with the certificate toolkit in a worker thread, shows the results and keeps one
:class:`~cmgtui.model.profile.TrustedCertificate` per CA. The token panel shows the exact
``BulkRegistrationTokenTool.exe`` command for the chosen lifetime and a list of issued tokens
by tracking ID and expiry only: a token itself never reaches the profile.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from cmgtui.domain import validate
from cmgtui.domain.display_text import visible
from cmgtui.domain.certs import CertToolError, TrustedCa, check_trusted_cas, load_trusted_ca_file
from cmgtui.domain.certs.trust import trust_evidence
from cmgtui.domain.clients.command_lines import MAX_TOKEN_MINUTES, bulk_token_tool_command
from cmgtui.domain.rules.results import RuleResult
from cmgtui.domain.validate import SITE_PFX_FOLDER, PathUse, path_problem
from cmgtui.messages import ProfileMutation
from cmgtui.model import Profile
from cmgtui.model.profile import BulkToken, TrustedCertificate
from cmgtui.widgets.base import AppAccess, show_if_changed
from cmgtui.widgets.clipboard import copy_through_terminal
from cmgtui.widgets.fields import IntField, TextBox
from cmgtui.widgets.rule_report import RuleReport

TOKEN_HANDLING = (
    "Run it elevated on the top-level site server, in <ConfigMgr install folder>\\bin\\X64. It prints a "
    "tracking ID, the validity and the token. Neither the site nor the client stores the token: copy it "
    "straight into the install command (Part 5) over a secure channel and discard it. Anyone holding it "
    "can register devices until it expires; block it in Administration > Security > Certificates "
    "(filter Type: bulk registration token) if it leaks. Bulk tokens can't be renewed."
)


#: The check of a trusted CA certificate file to read.
ca_file_problem = partial(path_problem, use=PathUse.READ, what="a root or intermediate CA certificate (.cer)")


def trusted_record(ca: TrustedCa) -> TrustedCertificate:
    """The profile record for one checked CA certificate."""
    return TrustedCertificate(path=ca.path, subject=ca.info.subject, thumbprint=ca.info.thumbprint,
                              is_root=ca.is_root, not_after=ca.info.not_after)


def load_set(paths: list[str]) -> tuple[list[TrustedCa], list[str]]:
    """Every CA in ``paths`` (first occurrence of each thumbprint) and one line per unusable file."""
    cas: list[TrustedCa] = []
    problems: list[str] = []
    seen: set[str] = set()
    for path in dict.fromkeys(paths):
        try:
            loaded = load_trusted_ca_file(path)
        except CertToolError as exc:
            problems.append(str(exc))
            continue
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
            continue
        for ca in loaded:
            if ca.info.thumbprint not in seen:
                seen.add(ca.info.thumbprint)
                cas.append(ca)
    return cas, problems


class TrustedCertsPanel(Vertical, AppAccess):
    """Add, list, check and remove the CA certificates PKI clients chain to."""

    def compose(self) -> ComposeResult:
        yield Static("Trusted root and intermediate CA certificates", classes="section-title")
        yield Static("Export the whole chain of the CAs that issue client certificates as DER .cer files "
                     "and add each one; the CMG gets them on its Certificates list.", classes="hint")
        yield TextBox(placeholder="e.g. /path/to/issuing-ca.cer", id="trusted-path", compact=True)
        yield Static("", id="trusted-problem", classes="field-error")
        with Horizontal(classes="buttons"):
            yield Button("Add", id="trusted-add", compact=True)
            yield Button("Browse…", id="trusted-browse", compact=True)
            yield Button("Remove", id="trusted-remove", compact=True)
            yield Button("Check again", id="trusted-recheck", compact=True)
        yield OptionList(id="trusted-list")
        yield RuleReport(id="trusted-report")

    def sync(self, profile: Profile) -> None:
        """List the stored certificates."""
        certs = profile.client_auth.trusted_certificates
        listing = self.query_one("#trusted-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for cert in certs:
            kind = "root" if cert.is_root else "intermediate"
            until = f", until {cert.not_after:%Y-%m-%d}" if cert.not_after else ""
            listing.add_option(Option(Text(visible(f"{kind}: {cert.subject}{until} · {cert.thumbprint}")),
                                      id=cert.thumbprint))
        if not certs:
            listing.add_option(Option(Text("No CA certificate added yet.", style="dim"), disabled=True))
        elif highlighted is not None:
            listing.highlighted = min(highlighted, len(certs) - 1)
        self.query_one("#trusted-remove", Button).disabled = not certs
        self.query_one("#trusted-recheck", Button).disabled = not certs

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "trusted-path":
            event.stop()
            self._problem(ca_file_problem(event.value) if event.value.strip() else None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "trusted-path":
            event.stop()
            self.add_path(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        handlers = {"trusted-add": lambda: self.add_path(self.query_one("#trusted-path", Input).value),
                    "trusted-browse": self._browse, "trusted-remove": self.remove_highlighted,
                    "trusted-recheck": self.recheck}
        handler = handlers.get(event.button.id or "")
        if handler is not None:
            event.stop()
            handler()

    def _problem(self, text: str | None) -> None:
        show_if_changed(self.query_one("#trusted-problem", Static), Text(visible(text or "")))

    @work(group="trusted-browse")
    async def _browse(self) -> None:
        from cmgtui.widgets.file_picker import FilePickerModal

        field = self.query_one("#trusted-path", Input)
        chosen = await self.app.push_screen_wait(FilePickerModal("Choose a CA certificate (.cer)", field.value))
        if chosen:
            field.value = chosen
            self.add_path(chosen)

    def add_path(self, text: str) -> None:
        """Check ``text`` with the other stored certificates and add its CA(s)."""
        problem = ca_file_problem(text)
        self._problem(problem)
        if problem is None:
            path = str(Path(text.strip()).expanduser())
            self._check([c.path for c in self.profile.client_auth.trusted_certificates] + [path], path)

    def recheck(self) -> None:
        """Check the stored set again (files are read anew)."""
        self._check([c.path for c in self.profile.client_auth.trusted_certificates], None)

    @work(thread=True, exclusive=True, group="trusted")
    def _check(self, paths: list[str], added: str | None) -> None:
        cas, problems = load_set(paths)
        results = check_trusted_cas(cas) if cas else []
        self.app.call_from_thread(self._show, cas, problems, results, added)

    def _show(self, cas: list[TrustedCa], problems: list[str], results: list[RuleResult], added: str | None) -> None:
        self.query_one("#trusted-report", RuleReport).show(results, "No CA certificate could be read.")
        if cas:
            self.cmg.record_evidence([trust_evidence(cas, results)], "Checked the trusted CA certificates")
        if problems:
            self._problem(problems[0])
        known = {c.thumbprint for c in self.profile.client_auth.trusted_certificates}
        new = [ca for ca in cas if added is not None and ca.path == added and ca.info.thumbprint not in known]
        if added is not None and not new and not problems:
            self._problem("That file's certificates are already in the list.")
        if new:
            records = [trusted_record(ca) for ca in new]

            def add(profile: Profile) -> None:
                known = {c.thumbprint for c in profile.client_auth.trusted_certificates}
                profile.client_auth.trusted_certificates = [
                    *profile.client_auth.trusted_certificates, *(r for r in records if r.thumbprint not in known)]
                if not profile.client_auth.site_ca_folder.strip():  # a suggestion on the site server, never a folder here
                    profile.client_auth.site_ca_folder = SITE_PFX_FOLDER

            self.post_message(ProfileMutation(add, f"Add trusted CA {records[0].subject}"))
            self.cmg.log_activity("client_auth", f"Added trusted CA certificate(s) from {added}")
            self.query_one("#trusted-path", Input).value = ""
            self._problem(None)

    def remove_highlighted(self) -> None:
        """Remove the highlighted certificate from the list."""
        listing = self.query_one("#trusted-list", OptionList)
        index = listing.highlighted
        certs = self.profile.client_auth.trusted_certificates
        if index is None or not 0 <= index < len(certs):
            self._problem("Highlight a certificate in the list first (arrow keys), then remove it.")
            return
        thumb = certs[index].thumbprint

        def remove(profile: Profile) -> None:
            profile.client_auth.trusted_certificates = [
                c for c in profile.client_auth.trusted_certificates if c.thumbprint != thumb]

        self.post_message(ProfileMutation(remove, "Remove trusted CA"))


class TokenPanel(Vertical, AppAccess):
    """Token lifetime, the tool's command line, handling advice and issued tokens."""

    def compose(self) -> ComposeResult:
        yield Static("Bulk registration token", classes="section-title")
        yield IntField(f"Token lifetime in minutes (1-{MAX_TOKEN_MINUTES:,}; 4,320 = 3 days)",
                       "client_auth.token_lifetime_minutes",
                       validator=lambda t: validate.int_range_problem(t, 1, MAX_TOKEN_MINUTES))
        yield Static(id="token-command", classes="command-text")
        with Horizontal(classes="buttons"):
            yield Button("Copy command", id="token-copy", compact=True)
        yield Static(TOKEN_HANDLING, classes="hint")
        yield Static("Issued tokens (tracking ID and expiry only)", classes="subsection-title")
        yield TextBox(placeholder="tracking ID (GUID)", id="token-tracking", compact=True)
        yield TextBox(placeholder="expires YYYY-MM-DD HH:MM UTC (empty: now + lifetime)", id="token-expires",
                    compact=True)
        yield Static("", id="token-problem", classes="field-error")
        with Horizontal(classes="buttons"):
            yield Button("Add issued token", id="token-add", compact=True)
        yield Static(id="token-list")

    def sync(self, profile: Profile) -> None:
        """Redraw the lifetime, the command and the token list."""
        self.query_one(IntField).sync(profile)
        command = bulk_token_tool_command(profile.client_auth.token_lifetime_minutes)
        draft = profile.drafts.get("client_auth.token_lifetime_minutes")
        shown = self.query_one("#token-command", Static)
        copy = self.query_one("#token-copy", Button)
        if draft is not None or not command.ready:
            reason = f"'{draft}' isn't a number" if draft is not None else command.missing[0]
            shown.update(Text(f"Command not shown: {visible(reason)}.", style="italic"))
            copy.disabled = True
        else:
            shown.update(Text(command.text, style="bold"))
            copy.disabled = False
        now = datetime.now(UTC)
        listing = Text()
        for token in profile.client_auth.bulk_tokens:
            expiry = token.expires_at
            state = "" if expiry is None else (" (expired)" if expiry <= now else "")
            when = f"{expiry:%Y-%m-%d %H:%M} UTC{state}" if expiry else "expiry unknown"
            listing.append(f"• {visible(token.tracking_id)} · expires {when}\n")
        show_if_changed(self.query_one("#token-list", Static), listing or Text("No token recorded.", style="dim"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "token-copy":
            event.stop()
            command = bulk_token_tool_command(self.profile.client_auth.token_lifetime_minutes)
            if command.ready:
                copy_through_terminal(self.app, command.text, "The token tool command")
        elif event.button.id == "token-add":
            event.stop()
            self.add_token()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("token-tracking", "token-expires"):
            event.stop()
            self.add_token()

    def add_token(self) -> None:
        """Record the tracking ID and expiry typed in (validated)."""
        tracking = self.query_one("#token-tracking", Input).value
        expires = self.query_one("#token-expires", Input).value
        problem = validate.bulk_token_problem(tracking, expires)
        show_if_changed(self.query_one("#token-problem", Static), Text(problem or ""))
        if problem:
            return
        lifetime = self.profile.client_auth.token_lifetime_minutes
        when = validate.parse_utc_time(expires) if expires.strip() else datetime.now(UTC) + timedelta(minutes=lifetime)
        record = BulkToken(tracking_id=tracking.strip().strip("{}").lower(), expires_at=when)

        def add(profile: Profile) -> None:
            kept = [t for t in profile.client_auth.bulk_tokens if t.tracking_id != record.tracking_id]
            profile.client_auth.bulk_tokens = [*kept, record]

        self.post_message(ProfileMutation(add, "Record issued bulk token"))
        self.cmg.log_activity("client_auth", f"Recorded bulk token {record.tracking_id}")
        self.query_one("#token-tracking", Input).value = ""
        self.query_one("#token-expires", Input).value = ""
