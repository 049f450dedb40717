"""The TUI's screens: each composes widgets and calls the core; no lab or quiz logic here."""
