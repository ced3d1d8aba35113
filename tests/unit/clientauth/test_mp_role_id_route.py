"""The MP role ID has a first-time route: the site database's vProxy_Roles view (MutualAuthPath)
or the co-management Enablement tab's CCMHOSTNAME, before any client uses the CMG. Tested on the
verbatim text of the public article that names them (tests/fixtures/docs)."""

from __future__ import annotations

import re
from pathlib import Path

from cmgtui.domain.clients.mp_role_id import FIRST_TIME_QUERY, role_id_from
from cmgtui.domain.validate import mp_role_id_problem
from cmgtui.panes.clients.pane import MP_ID_HINT

DOC = (Path(__file__).parents[2] / "fixtures" / "docs" / "memdocs-comanage-how-to-prepare-win10-2018.md").read_text()


def test_the_query_reads_the_view_and_column_the_article_names() -> None:
    note = re.search(r"Use the \*\*(\w+)\*\* value in the \*\*(\w+)\*\* SQL view", DOC)
    assert note is not None
    column, view = note.groups()
    assert (column, view) == ("MutualAuthPath", "vProxy_Roles")
    assert FIRST_TIME_QUERY == f"SELECT {column} FROM {view}"


def test_the_role_id_is_read_from_the_articles_own_values() -> None:
    url = re.search(r"mutual auth endpoint\*\*: (\S+)", DOC)
    assert url is not None and role_id_from(url.group(1)) == "72186325152220500"
    command = re.search(r"`CCMSETUPCMD=\"(.+?)\"`", DOC)
    assert command is not None and role_id_from(command.group(1)) == "72186325152220500"
    assert role_id_from("mp01.contoso.com") is None


def test_part5_and_its_field_say_the_first_time_route() -> None:
    assert FIRST_TIME_QUERY in MP_ID_HINT and "Enablement tab" in MP_ID_HINT
    assert "vProxy_Roles" in (mp_role_id_problem("") or "")
    assert mp_role_id_problem("72186325152220500") is None
