"""The key bar at the foot of every screen."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer, rebuilt only when the keys it shows change.

    Footer rebuilds all its keys (a dozen widgets mounted and styled) whenever the screen says
    its bindings were updated, which it does on every change of focus: each move between the
    one-line answer box and the paragraph box cost ~20 style passes right after the next
    question was drawn (where the clerk's first keys wait behind them), for the same keys. (The paragraph box also has F6 and F7 of its own, which the
    screen's take over; only their place in Textual's list of bindings moves, and Footer moved
    them to the front of the bar and back with every change of box. The keys now stay put.)"""

    _shown: frozenset[Any] | None = None

    @staticmethod
    def shown_keys(screen: Screen[Any]) -> frozenset[Any]:
        """What the footer would show for `screen`: every shown binding with its state."""
        return frozenset((binding.key, binding.key_display, binding.description, binding.action,
                          binding.group, enabled, tooltip)
                         for _node, binding, enabled, tooltip in screen.active_bindings.values()
                         if binding.show or binding.key == screen.app.COMMAND_PALETTE_BINDING)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        keys = self.shown_keys(screen)
        if keys == self._shown and screen is self.screen:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:  # Footer rebuilt
            self._shown = keys
