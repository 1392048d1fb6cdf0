"""Translatable texts as values, so code without Qt (the presenters) can say what to show.

A `Text` names its translation context and its English source string; the GUI translates it
with Qt's translator (`gui.i18n.tr`) and then fills in its `{name}` placeholders. Sources are
marked with `QT_TRANSLATE_NOOP`, the name `pyside6-lupdate` looks for; this plain-Python
version returns a `Text`, so presenters need no Qt import. Counts are written as "Label: {n}"
rather than with plural forms: Vietnamese has none, and the status strip is terse anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Text:
    """A message to translate, and the values for its `{name}` placeholders."""

    context: str
    source: str
    args: tuple[tuple[str, Any], ...] = field(default=())

    def with_args(self, **args: Any) -> Text:
        return Text(self.context, self.source, tuple(sorted(args.items())))

    def english(self) -> str:
        """The untranslated text, filled in (for tests and when no translator is installed)."""
        return fill(self.source, self.picked("en"))

    def picked(self, language: str) -> Text:
        """The same text with each `Localized` value replaced by its text in `language`."""
        if not any(isinstance(value, Localized) for _name, value in self.args):
            return self
        args = tuple(
            (name, value.pick(language) if isinstance(value, Localized) else value)
            for name, value in self.args
        )
        return Text(self.context, self.source, args)


@dataclass(frozen=True, slots=True)
class Localized:
    """A text that comes with the data in several languages (a business rule's description,
    written by whoever wrote the rule), not from the app's translation files."""

    by_language: tuple[tuple[str, str], ...]

    def pick(self, language: str) -> str:
        """The text in `language`, else English, else the first one given."""
        found = dict(self.by_language)
        return found.get(language) or found.get("en") or next(iter(found.values()), "")


def fill(translated: str, text: Text) -> str:
    """`translated` with the placeholders of `text` filled in; a translation that names an
    unknown placeholder falls back to the English source rather than failing on screen."""
    if not text.args:
        return translated
    values = dict(text.args)
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return text.source.format(**values)


def QT_TRANSLATE_NOOP(context: str, source: str) -> Text:
    """Mark `source` for translation in `context` (found by lupdate by this name)."""
    return Text(context, source)


#: The code of the language the installed translation is in: the Vietnamese file translates
#: this "en" as "vi". How `Localized` values follow the language switch without a lookup table.
LANGUAGE_CODE = QT_TRANSLATE_NOOP("Language", "en")
