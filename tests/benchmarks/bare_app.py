"""The yardstick: a bare Textual app with a Header, one Input and a Footer."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input


class Bare(App[None]):
    """What "as quick as a bare Textual app" is measured against."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="type here")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
