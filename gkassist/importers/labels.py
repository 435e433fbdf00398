"""Label matching for imports: a whitespace-free, bracket-normalised character stream over a
document's tokens, with an index map back to what was printed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from gkassist import format as fmt
from gkassist.numbers import printed_decimal

# ASCII and variant punctuation → the full-width forms the official labels use.
_CHAR_MAP = {
    "(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "﹝": "（", "﹞": "）", "〔": "（", "〕": "）",
    "．": ".",
}
_CHAR_MAP.update({chr(0xFF10 + i): str(i) for i in range(10)})  # full-width digits
_DROP = set("“”\"‘’'「」『』〝〞")
_DASH = re.compile(r"^[-－—–/／\\*＊]+$")
_FULLWIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"．": "."})


def norm(text: str) -> str:
    """A label without whitespace or quotes, ASCII brackets/commas full-width, `1、` as `1.`."""
    out: list[str] = []
    for ch in text:
        if ch.isspace() or ch in _DROP:
            continue
        ch = _CHAR_MAP.get(ch, ch)
        if ch == "、" and out and out[-1].isdigit() and (len(out) < 2 or not out[-2].isdigit()):
            ch = "."
        out.append(ch)
    return "".join(out)


def canonical(label: str) -> str:
    """The official label a printed label stands for (known D7 variants mapped), normalised."""
    n = norm(label)
    for variant, official in fmt.LABEL_VARIANTS.items():
        if n == norm(variant):
            return norm(official)
    return n


def parse_number(text: str) -> Decimal | None:
    """A printed number cell (`1,036`, `９６１７１.６`); None when it is not one (see gkassist.numbers)."""
    return printed_decimal(text)


@dataclass
class Token:
    """A piece of a line: text, a number cell, or a blank (or dash) cell."""

    kind: str  # "text" | "num" | "blank"
    text: str
    line: int
    tab: bool  # from a TAB-separated line, where empty fields are cells


def classify(text: str) -> str:
    t = text.strip().translate(_FULLWIDTH_DIGITS)
    if not t:
        return "blank"
    if printed_decimal(t) is not None:
        return "num"
    if _DASH.match(t):
        return "blank"
    return "text"


# Digits glued to the end of a label (a row copied without its cell separators).
_GLUED = re.compile(r"^(.*[\u4e00-\u9fff）)”’\"])([0-9０-９][0-9０-９,]*(?:[.．][0-9０-９]+)?)$")


def _unglue(piece: str) -> list[str]:
    m = _GLUED.match(piece)
    if m and classify(m.group(2)) == "num":
        return [m.group(1), m.group(2)]
    return [piece]


def tokenize(lines: list[str], start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of lines[start:end]. TAB lines keep their empty fields; other lines split on spaces.
    Digits glued to the end of a label are a cell of their own."""
    tokens: list[Token] = []
    end = len(lines) if end is None else end
    for i in range(start, end):
        line = lines[i]
        if "\t" in line:
            for field_text in line.split("\t"):
                for part in _unglue(field_text.strip()):
                    tokens.append(Token(classify(part), part, i, True))
        else:
            for whole in line.split():
                for piece in _unglue(whole):
                    kind = classify(piece)
                    # A lone dash in running text is punctuation, not a cell.
                    if kind == "blank":
                        kind = "text" if not _DASH.match(piece) or len(piece) > 2 else "blank"
                    tokens.append(Token(kind, piece, i, False))
    return tokens


@dataclass
class Match:
    start: int  # stream index of the first character
    end: int  # stream index after the last character
    first_token: int
    last_token: int
    printed: str  # the label as printed, whitespace removed


@dataclass
class Stream:
    """The text tokens as one normalised string, each character mapped to its token."""

    tokens: list[Token]
    chars: str = ""
    owner: list[tuple[int, int]] = field(default_factory=list)  # (token index, char index in token)

    def __post_init__(self) -> None:
        buf: list[str] = []
        for ti, tok in enumerate(self.tokens):
            if tok.kind != "text":
                continue
            for ci, ch in enumerate(tok.text):
                if ch.isspace() or ch in _DROP:
                    continue
                ch = _CHAR_MAP.get(ch, ch)
                if ch == "、" and buf and buf[-1].isdigit() and (len(buf) < 2 or not buf[-2].isdigit()):
                    ch = "."
                buf.append(ch)
                self.owner.append((ti, ci))
        self.chars = "".join(buf)

    def find(self, needle: str, start: int = 0, stop: int | None = None) -> Match | None:
        """The first occurrence at or after `start` that does not run across a number cell."""
        if not needle:
            return None
        stop = len(self.chars) if stop is None else stop
        pos = self.chars.find(needle, start, stop)
        while pos >= 0:
            a, b = self.owner[pos][0], self.owner[pos + len(needle) - 1][0]
            if not any(self.tokens[k].kind != "text" for k in range(a, b + 1)):
                return Match(pos, pos + len(needle), a, b, self._printed(pos, pos + len(needle)))
            pos = self.chars.find(needle, pos + 1, stop)
        return None

    def _printed(self, start: int, end: int) -> str:
        (ta, ca), (tb, cb) = self.owner[start], self.owner[end - 1]
        tail = self.tokens[tb].text
        while cb + 1 < len(tail) and tail[cb + 1] in _DROP:  # a closing quote belongs to the label
            cb += 1
        if ta == tb:
            text = self.tokens[ta].text[ca:cb + 1]
        else:
            parts = [self.tokens[ta].text[ca:]]
            parts += [self.tokens[k].text for k in range(ta + 1, tb) if self.tokens[k].kind == "text"]
            parts.append(self.tokens[tb].text[:cb + 1])
            text = "".join(parts)
        return "".join(text.split())

    def token_at(self, index: int) -> int:
        """The token holding stream character `index` (the token after the stream when past its end)."""
        if index >= len(self.owner):
            return len(self.tokens)
        return self.owner[index][0]
