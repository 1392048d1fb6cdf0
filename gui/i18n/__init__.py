"""Translations with Qt's own mechanism: `station_<lang>.ts` sources, built `.qm` files.

Vietnamese is the default; English is complete too. The sources are rebuilt from the code with
`python -m gui.i18n.build` (pyside6-lupdate, then pyside6-lrelease). Widgets translate on
`QEvent.LanguageChange`, so switching language takes effect at once, without a restart.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from gui.texts import LANGUAGE_CODE, Text, fill

I18N_DIR = Path(__file__).resolve().parent
LANGUAGES = ("vi", "en")


def qm_path(language: str) -> Path:
    return I18N_DIR / f"station_{language}.qm"


def tr(text: Text) -> str:
    """`text` translated into the installed language, placeholders filled (a placeholder whose
    value is itself a `Text` is translated too)."""
    translated = QCoreApplication.translate(text.context, text.source)
    if not text.args:
        return translated
    text = text.picked(current_language())
    args = tuple(
        (name, tr(value) if isinstance(value, Text) else value) for name, value in text.args
    )
    return fill(translated, Text(text.context, text.source, args))


def current_language() -> str:
    """The installed translation's language code ("en" when none is installed)."""
    return QCoreApplication.translate(LANGUAGE_CODE.context, LANGUAGE_CODE.source)


class Translations:
    """Installs one language's translator on the application, replacing the previous one."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None
        self.language = ""

    def remove(self) -> None:
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None

    def switch(self, language: str) -> bool:
        """Install `language`; False (and English shown) when its file is missing."""
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        self.remove()
        translator = QTranslator(self._app)
        loaded = translator.load(str(qm_path(language)))
        if loaded:
            self._app.installTranslator(translator)
            self._translator = translator
        self.language = language
        return loaded
