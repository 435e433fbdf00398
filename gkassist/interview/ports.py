"""What the interview needs from the rest of the product, passed in explicitly: the checks, the
paragraph library and the punctuation normaliser. The defaults call the real modules at each use
(so a failure in them is a failure of the interview, never a silent blank)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from gkassist import library as stock
from gkassist.model import Report

if TYPE_CHECKING:  # checks and textnorm are imported at first use: not needed for the first question
    from gkassist.checks import Finding


class Checker(Protocol):
    def __call__(self, report: Report, previous: Report | None = None) -> list[Finding]: ...


class Normaliser(Protocol):
    def __call__(self, text: str) -> tuple[str, list[str]]: ...


class ParagraphLibrary(Protocol):
    """Stock paragraphs: suggestions for a section and composing the picked ones into the report."""

    @property
    def kind_labels(self) -> dict[str, str]: ...

    def suggest(self, report: Report, section: str, *, previous: Report | None) -> list[Any]: ...

    def apply_picks(self, report: Report, section: str, picked: list[str], *,
                    previous: Report | None) -> list[str]: ...


def check_report(report: Report, previous: Report | None = None) -> list[Finding]:
    """The default Checker: gkassist.checks.check."""
    from gkassist import checks

    return list(checks.check(report, previous=previous))


def normalise_punctuation(text: str) -> tuple[str, list[str]]:
    """The default Normaliser: gkassist.textnorm.normalise_punctuation."""
    from gkassist import textnorm

    new, changes = textnorm.normalise_punctuation(text)
    return new, [str(c) for c in changes]


class StockLibrary:
    """The default ParagraphLibrary: gkassist.library, its entries loaded once (built-in plus the
    workspace's library/ folder) when first asked."""

    def __init__(self, workspace: Path | None = None, loaded: stock.Library | None = None) -> None:
        self.workspace = workspace
        self._loaded = loaded

    @property
    def loaded(self) -> stock.Library:
        if self._loaded is None:
            self._loaded = stock.cached_library(self.workspace)
        return self._loaded

    @property
    def kind_labels(self) -> dict[str, str]:
        return stock.KINDS

    def suggest(self, report: Report, section: str, *, previous: Report | None) -> list[Any]:
        return list(stock.suggest(report, section, previous=previous, library=self.loaded))

    def apply_picks(self, report: Report, section: str, picked: list[str], *,
                    previous: Report | None) -> list[str]:
        return stock.apply_picks(report, section, picked, previous=previous, library=self.loaded)
