"""Form rows bound to a profile field by dotted path.

Each row shows a label, an editor and an inline problem line. Typing posts
:class:`~cmgtui.messages.FieldEdited`; the App stores the value (or keeps the raw text as a
draft when the field cannot hold it) and every row redraws from the model. A row never
overwrites what the user is typing: it only refreshes its editor while unfocused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Self

from rich.highlighter import Highlighter
from rich.text import Text
from textual.app import ComposeResult
from textual.geometry import Size
from textual.containers import Vertical
from textual.geometry import Region
from textual.widgets import Checkbox, Input, Label, Select, Static

from cmgtui.domain.display_text import visible, visible_in_place
from cmgtui.messages import FieldEdited
from cmgtui.model import Profile
from cmgtui.model.edit import get_path
from cmgtui.widgets.base import ChoiceSelect, show_if_changed

Validator = Callable[[str], str | None]


class ControlPictures(Highlighter):
    """Shows an Input's control characters as visible ones (``display_text.visible_in_place``):
    a profile value or a path may hold an escape sequence, and an Input draws its value as it is.
    The value itself is left alone; one character is shown for one, so the cursor stays right."""

    def __call__(self, text: str | Text) -> Text:
        plain = text if isinstance(text, str) else text.plain
        shown = visible_in_place(plain)
        if isinstance(text, Text) and shown == plain:
            return text
        if isinstance(text, Text):
            return Text(shown, style=text.style, no_wrap=text.no_wrap, overflow=text.overflow, end=text.end)
        return Text(shown)

    def highlight(self, text: Text) -> None:
        """Styles nothing: :meth:`__call__` does the work."""


#: The keys that move to the next or previous part, which a text box passes on.
PART_KEYS = frozenset({"right_square_bracket", "left_square_bracket"})


class TextBox(Input):
    """A one-line text box in a pane: ] and [ move to the next or previous part from here, as
    everywhere on the main screen, unless the box takes free text (``takes_brackets``); no
    value a field holds (a name, an ID, a number, a path as typed) needs a bracket, and a path
    that has one can be pasted. Its control characters are shown as visible ones
    (:class:`ControlPictures`)."""

    #: Whether ] and [ are typed here (free text) rather than moving to the next or previous part.
    takes_brackets = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", ControlPictures())
        super().__init__(*args, **kwargs)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if key in PART_KEYS and not self.takes_brackets:
            return False
        return super().check_consume_key(key, character)


class FieldInput(TextBox):
    """A one-line text box whose typing repaints only itself.

    Textual's Input asks for a layout of the whole screen on every change of its value (its
    virtual size follows the text). A field's size never depends on its text (one line, the
    row's width), so that layout changes nothing on screen; skipping it keeps a keystroke
    in a long pane as cheap as in a bare app. Every other layout request passes through.
    """

    _typing = False

    def _watch_value(self, value: str) -> None:
        self._typing = True
        try:
            super()._watch_value(value)
        finally:
            self._typing = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        return super().refresh(*regions, repaint=repaint, layout=layout and not self._typing,
                               recompose=recompose)


class FieldRow(Vertical):
    """Common parts of a bound row: path, label and the problem line."""

    DEFAULT_CSS = """
    FieldRow { height: auto; margin: 0; }
    FieldRow Input, FieldRow Select { margin: 0 0 0 2; width: 1fr; }
    FieldRow > .field-label { color: $text-muted; }
    FieldRow > .field-error { color: $error; height: auto; }
    FieldRow > .field-error.-empty { display: none; }
    """

    def __init__(self, label: str, path: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.path = path

    def _problem_line(self) -> Static:
        self._problem = Static("", classes="field-error -empty")
        return self._problem

    def show_problem(self, problem: str | None) -> None:
        """Show ``problem`` under the editor, or hide the line when None.

        A new problem for the field being typed in is scrolled into view with it, so the
        explanation never appears below the bottom edge of the pane.
        """
        line = self._problem
        changed = show_if_changed(line, Text(visible(problem or "")))  # quotes what was typed: never markup
        line.set_class(not problem, "-empty")
        if problem and changed and self.has_focus_within:
            self.call_after_refresh(line.scroll_visible, animate=False)

    def sync(self, profile: Profile) -> None:
        """Refresh the editor from ``profile``; subclasses implement."""

    def unfinished(self, profile: Profile) -> bool:
        """Whether the field still needs a value (focus goes there when its pane is shown)."""
        return False


class TextField(FieldRow):
    """A one-line text field with an optional validator shown inline as you type.

    ``free_text`` fields (a description) also take ] and [, which elsewhere move between parts.
    """

    #: The characters the field can ever hold (a regular expression for the whole text), or None.
    RESTRICT: str | None = None

    def __init__(
        self,
        label: str,
        path: str,
        *,
        validator: Validator | None = None,
        placeholder: str = "",
        free_text: bool = False,
        restrict: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(label, path, id=id)
        self.validator = validator
        self.placeholder = placeholder
        self.free_text = free_text
        self.restrict = restrict or self.RESTRICT

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        self._editor = FieldInput(placeholder=self.placeholder, compact=True, restrict=self.restrict)
        self._editor.takes_brackets = self.free_text
        yield self._editor
        yield self._problem_line()

    def to_value(self, text: str) -> Any:
        """Convert typed text into the value to store."""
        return text.strip()

    def display_text(self, value: Any) -> str:
        """Text to show for a stored value."""
        return "" if value is None else str(value)

    def problem(self, text: str) -> str | None:
        """The inline problem for ``text``, if any."""
        return self.validator(text) if self.validator and text.strip() else None

    def unfinished(self, profile: Profile) -> bool:
        """Empty (unless optional) or holding text it cannot take (a draft)."""
        if self.path in profile.drafts:
            return True
        label = self.label.lower()
        optional = "optional" in label or "only when" in label
        return not optional and get_path(profile, self.path) in (None, "", [])

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_problem(self.problem(event.value))
        if event.input.has_focus:
            self.post_message(FieldEdited(self.path, self.to_value(event.value), event.value))

    def sync(self, profile: Profile) -> None:
        editor = self._editor
        draft = profile.drafts.get(self.path)
        text = draft if draft is not None else self.display_text(get_path(profile, self.path))
        if not editor.has_focus and editor.value != text:
            editor.value = text
        self.show_problem(self.problem(editor.value))


class IntField(TextField):
    """A whole-number field: it refuses anything but digits (and thousands commas)."""

    RESTRICT = r"[0-9, ]*"

    def to_value(self, text: str) -> Any:
        """An int for digits (commas allowed), None for nothing, else the raw text (a draft)."""
        cleaned = text.strip().replace(",", "")
        if not cleaned:
            return None
        return int(cleaned) if cleaned.isdigit() else text

    def problem(self, text: str) -> str | None:
        stripped = text.strip().replace(",", "")
        if stripped and not stripped.isdigit() and self.validator is None:
            return f"'{text}' is not a whole number (kept as a draft until it is)."
        # The domain validator words every problem, non-numbers included, as its rule does.
        return super().problem(text if self.validator is not None else stripped)


class GuidField(TextField):
    """A GUID field: it refuses characters a GUID never holds (hex digits, dashes, braces)."""

    RESTRICT = r"[0-9a-fA-F{}\- ]*"


class ListField(TextField):
    """Several values in one line, separated by commas; each is validated."""

    def to_value(self, text: str) -> Any:
        return [part.strip() for part in text.split(",") if part.strip()]

    def display_text(self, value: Any) -> str:
        return ", ".join(value or [])

    def problem(self, text: str) -> str | None:
        if not self.validator:
            return None
        problems = [
            f"{item}: {issue}" for item in self.to_value(text) if (issue := self.validator(item))
        ]
        return "; ".join(problems) or None


class SelectField(FieldRow):
    """A choice from a fixed list of (label, value) pairs."""

    def __init__(
        self,
        label: str,
        path: str,
        options: Sequence[tuple[str, Any]],
        *,
        prompt: str = "Choose…",
        blank: Any = None,
        id: str | None = None,
    ) -> None:
        super().__init__(label, path, id=id)
        self.options = list(options)
        self.prompt = prompt
        #: What the field holds when nothing is chosen ("" for a text field, None otherwise).
        self.blank = blank

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield ChoiceSelect(self.options, prompt=self.prompt, compact=True)
        yield self._problem_line()

    def unfinished(self, profile: Profile) -> bool:
        """Nothing chosen yet (the list still reads "Choose…")."""
        return get_path(profile, self.path) not in [v for _label, v in self.options]

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = self.blank if event.value is Select.NULL else event.value
        self.post_message(FieldEdited(self.path, value))

    def sync(self, profile: Profile) -> None:
        value = get_path(profile, self.path)
        select = self.query_one(Select)
        known = {v for _label, v in self.options}
        target = value if value in known else Select.NULL
        if select.value != target:
            with select.prevent(Select.Changed):
                select.value = target
        if value not in known and value not in (None, ""):
            self.show_problem(f"'{value}' is not one of the choices; pick one from the list.")
        else:
            self.show_problem(None)


class MarkedCheckbox(Checkbox):
    """A checkbox whose mark itself changes (✓ or blank), so it reads without colour, and
    whose text wraps at word boundaries instead of being cut at the pane's edge."""

    # Textual's ToggleButton declares BUTTON_INNER as a plain class attribute and reads it per instance
    # when rendering, so a property works; a type checker sees a read-only property replacing a writable one.
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's class attribute name
        return "✓" if self.value else " "

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the wrapped label needs (Textual's toggle assumes one)."""
        return max(1, self.render().get_height(self.styles, width))


class CheckField(FieldRow):
    """A yes/no field shown as a checkbox (space toggles it)."""

    DEFAULT_CSS = "CheckField { margin: 0; }"

    def compose(self) -> ComposeResult:
        yield MarkedCheckbox(self.label, compact=True)
        yield self._problem_line()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if event.checkbox.has_focus:
            self.post_message(FieldEdited(self.path, event.value))

    def sync(self, profile: Profile) -> None:
        box = self.query_one(Checkbox)
        value = bool(get_path(profile, self.path))
        if box.value != value:
            with box.prevent(Checkbox.Changed):
                box.value = value
