"""The screens: profile picker, main screen, help and sign-in dialogs, and the pane registry."""
