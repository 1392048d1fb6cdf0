"""Keyboard-wedge scans typed on a non-US host layout: recognise them and undo the mangling.

Scanners send key positions of a US keyboard.  On a host whose layout is German (QWERTZ) or French
(AZERTY) the same positions produce other characters.  `remap_layout` undoes that: the tables
below list, per key position in US order, what the host layout produces (XKB `de` and `fr` basic
layouts, which agree with the Windows German and French layouts on every key used here); the
forward map "character a US scanner means -> character the host produces" is computed from them
and inverted.  It covers the characters credentials use: ASCII letters, digits, space and
``$ % * + - . / : |``.

=======  ==================================================================================
Layout   What a US-keycode scan turns into on that host
=======  ==================================================================================
``de``   y and z swapped (both cases); ``*`` -> ``(``, ``-`` -> ``ß``, ``/`` -> ``-``,
         ``:`` -> ``Ö``, ``|`` -> ``'``; ``+`` hits a dead key (see below).  Digits, space,
         ``$ % .`` are unchanged.  ``HC1:`` -> ``HC1Ö``, ``shc:/`` -> ``shcÖ-``,
         ``NZCP:/`` -> ``NYCPÖ-``.
``fr``   a and q, w and z swapped (both cases); ``m`` -> ``,``, ``M`` -> ``?``; digits
         ``1234567890`` -> ``&é"'(-è_çà``; ``$`` -> ``4``, ``%`` -> ``5``, ``*`` -> ``8``,
         ``-`` -> ``)``, ``.`` -> ``:``, ``/`` -> ``!``, ``:`` -> ``M``, ``|`` -> ``µ``.
         ``+`` and space are unchanged.  ``HC1:`` -> ``HC&M``, ``shc:/`` -> ``shcM!``,
         ``NZCP:/`` -> ``NWCPM!``.
=======  ==================================================================================

What cannot be recovered (`unrecoverable(layout)` lists it):

* ``+`` on ``de``: Shift plus the US ``=`` key is the dead grave accent on a German host.  What
  follows depends on the host's compose handling (the accent and the next character, a composed
  vowel such as ``È``, or nothing at all), and the next character can be consumed (``+`` then
  space gives a lone accent).  These artefacts are left as received.  Base45 uses ``+`` and
  practically every HC1 payload contains one, so an EU DCC read on a German host needs the
  scanner's keyboard language set to German.  SMART Health Cards, NZCP and the ASCII parts of
  national QRs are fully recoverable on ``de``; everything in the covered set is on ``fr``.
* Caps Lock on the host (it inverts letter case), scanners that send digits from the numeric
  keypad (they arrive as digits on any layout, so remapping ``fr`` would turn 4, 5 and 8 into
  ``$ % *``), and layouts other than the three named here (Swiss, Belgian, Mac, BÉPO...).
* Remapping is only correct for text that was typed with US keycodes.  Applied to text that came
  through correctly it damages it; on ``fr`` the digit images ``é è ç à`` are also Vietnamese
  letters.  Hence `detect_layout`, which only recognises what it can be sure of: the prefixes of
  HC1, SMART Health Card and NZCP payloads, and a national QR's leading ID number (9 or 12 digits)
  followed by its ``|`` separator, each as typed on each layout.  Characters outside the covered
  set pass through `remap_layout` unchanged.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from types import MappingProxyType

LAYOUTS = ("us", "de", "fr")

#: Characters `remap_layout` knows how to recover (what credentials and national QRs use).
COVERED_CHARACTERS = string.ascii_letters + string.digits + " $%*+-./:|"


@dataclass(frozen=True, slots=True)
class _HostLayout:
    """What each key produces, listed in US key order: number row, three letter rows, space.

    `dead` holds the spacing forms of the dead keys: they produce nothing by themselves.  Keys
    that no covered character uses are listed with their XKB values, for completeness only.
    """

    unshifted: str
    shifted: str
    dead: str = ""


def _rows(*rows: str) -> str:
    """One layout level from its four key rows and the space bar."""
    if [len(row) for row in rows] != [13, 13, 11, 10]:
        raise AssertionError(f"layout rows have the wrong lengths: {rows!r}")
    return "".join(rows) + " "


# Key order, per row: ` 1-0 - =  |  q-p [ ] \  |  a-l ; '  |  z-m , . /   (then space).
_US = _HostLayout(
    unshifted=_rows("`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./"),
    shifted=_rows("~!@#$%^&*()_+", "QWERTYUIOP{}|", 'ASDFGHJKL:"', "ZXCVBNM<>?"),
)
_HOSTS = MappingProxyType(
    {
        "us": _US,
        "de": _HostLayout(
            unshifted=_rows("^1234567890ß´", "qwertzuiopü+#", "asdfghjklöä", "yxcvbnm,.-"),
            shifted=_rows('°!"§$%&/()=?`', "QWERTZUIOPÜ*'", "ASDFGHJKLÖÄ", "YXCVBNM;:_"),
            dead="^´`",
        ),
        # \u00b5 is MICRO SIGN, what the key produces, not the look-alike GREEK SMALL LETTER MU.
        "fr": _HostLayout(
            unshifted=_rows("²&é\"'(-è_çà)=", "azertyuiop^$*", "qsdfghjklmù", "wxcvbn,;:!"),
            shifted=_rows("~1234567890°+", "AZERTYUIOP¨£\u00b5", "QSDFGHJKLM%", "WXCVBN?./§"),
            dead="^¨",
        ),
    }
)


def _produced_on(char: str, host: _HostLayout) -> str | None:
    """What a US-keycode scanner typing `char` produces on `host`; None for a dead key."""
    shifted = char in _US.shifted and char not in _US.unshifted
    position = (_US.shifted if shifted else _US.unshifted).index(char)
    produced = (host.shifted if shifted else host.unshifted)[position]
    return None if produced in host.dead else produced


def _forward_map(layout: str) -> dict[str, str]:
    host = _HOSTS[layout]
    produced = {char: _produced_on(char, host) for char in COVERED_CHARACTERS}
    return {char: out for char, out in produced.items() if out is not None}


def _inverse_table(layout: str) -> dict[int, str]:
    forward = _forward_map(layout)
    inverse = {ord(out): char for char, out in forward.items()}
    if len(inverse) != len(forward):
        raise AssertionError(f"layout table {layout!r} maps two characters to one")
    return inverse


_FORWARD = MappingProxyType({layout: _forward_map(layout) for layout in LAYOUTS})
_INVERSE = MappingProxyType({layout: _inverse_table(layout) for layout in LAYOUTS})
_PREFIXES = ("HC1:", "shc:/", "NZCP:/")
_NATIONAL_ID_LENGTHS = (9, 12)


def _check_layout(layout: str) -> str:
    if layout not in _HOSTS:
        raise ValueError(f"unknown keyboard layout {layout!r}; known: {', '.join(LAYOUTS)}")
    return layout


def remap_layout(text: str, layout: str) -> str:
    """Undo what `layout` did to text a US-keycode scanner typed ("us" leaves it as it is)."""
    return text.translate(_INVERSE[_check_layout(layout)])


def unrecoverable(layout: str) -> frozenset[str]:
    """Covered characters a US-keycode scanner cannot get through on `layout` (dead keys)."""
    return frozenset(COVERED_CHARACTERS) - _FORWARD[_check_layout(layout)].keys()


def detect_layout(text: str) -> str | None:
    """The host layout a scan was typed through, when a known payload shape says so for sure."""
    for layout in LAYOUTS:
        if _has_known_prefix(text, layout) or _has_national_id(text, layout):
            return layout
    return None


def _typed_on(text: str, layout: str) -> str:
    forward = _FORWARD[layout]
    return "".join(forward[char] for char in text)


def _has_known_prefix(text: str, layout: str) -> bool:
    return text.startswith(tuple(_typed_on(prefix, layout) for prefix in _PREFIXES))


def _has_national_id(text: str, layout: str) -> bool:
    """A national QR starts with the holder's ID number (9 or 12 digits) and a ``|``."""
    head, separator, _ = text.partition(_typed_on("|", layout))
    digits = _typed_on(string.digits, layout)
    return (
        bool(separator)
        and len(head) in _NATIONAL_ID_LENGTHS
        and all(char in digits for char in head)
    )
