"""The admin panel's settings pages: rule profile, camera, retention, kiosk options and the
PIN. Each saves one file (`settings.json` shared with the command line, or the app's own
`station-app.json`) and says what it did; the app reacts to the signals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.background import BackgroundCall
from gui.options import MAX_VERDICT_S, MIN_VERDICT_S, AppOptions, load_options, save_options
from gui.pin import PinStore, valid_pin
from gui.texts import QT_TRANSLATE_NOOP, Text
from gui.widgets import TextLabel, TouchButton
from station.errors import ConfigError
from station.rules.profiles import builtin_profiles
from station.settings import (
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    StationSettings,
    load_settings,
    save_settings,
)

SAVED = QT_TRANSLATE_NOOP("Admin", "Saved.")
NEW_PIN = QT_TRANSLATE_NOOP("Admin", "New PIN (4 to 12 digits)")
CAMERAS = ("camera:0", "camera:1", "picamera")


def form_page() -> tuple[QWidget, QFormLayout]:
    """An empty page with a form at the top."""
    page = QWidget()
    layout = QVBoxLayout(page)
    form = QFormLayout()
    layout.addLayout(form)
    layout.addStretch(1)
    return page, form


class SettingsPages(QObject):
    said = Signal(object)
    camera_changed = Signal(str)
    settings_saved = Signal()
    options_saved = Signal(object)

    def __init__(
        self,
        base: Path,
        pins: PinStore,
        camera_source: str,
        add_page: Callable[[QWidget, Text], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.base, self.pins = base, pins
        self._add_page = add_page
        self._calls = BackgroundCall(self)
        self._calls.finished.connect(self._on_call_finished)
        self._rules_page()
        self._camera_page(camera_source)
        self._retention_page()
        self._kiosk_page()

    def shutdown(self) -> None:
        self._calls.shutdown()

    def _rules_page(self) -> None:
        page, form = form_page()
        self.profile = QComboBox(page)
        self.profile.setObjectName("profile")
        self.profile.addItem("-", "")
        for profile in builtin_profiles():
            self.profile.addItem(f"{profile.name}: {profile.title_in('en')}", profile.name)
        self.stale_policy = QComboBox(page)
        for policy in ("warn", "refuse"):
            self.stale_policy.addItem(policy, policy)
        form.addRow(TextLabel(QT_TRANSLATE_NOOP("Admin", "Rule profile")), self.profile)
        form.addRow(
            TextLabel(QT_TRANSLATE_NOOP("Admin", "When data is out of date")), self.stale_policy
        )
        save = TouchButton(QT_TRANSLATE_NOOP("Admin", "Save"), page, name="save-rules")
        save.clicked.connect(self._save_rules)
        form.addRow(save)
        self._add_page(page, QT_TRANSLATE_NOOP("Admin", "Rules"))

    def _camera_page(self, current: str) -> None:
        page, form = form_page()
        self.camera = QComboBox(page)
        self.camera.setEditable(True)
        self.camera.setObjectName("camera-source")
        for spec in dict.fromkeys((current, *CAMERAS)):
            if spec:
                self.camera.addItem(spec)
        form.addRow(TextLabel(QT_TRANSLATE_NOOP("Admin", "Camera")), self.camera)
        apply = TouchButton(
            QT_TRANSLATE_NOOP("Admin", "Use this camera"), page, name="apply-camera"
        )
        apply.clicked.connect(lambda: self.camera_changed.emit(self.camera.currentText().strip()))
        form.addRow(apply)
        self._add_page(page, QT_TRANSLATE_NOOP("Admin", "Camera"))

    def _retention_page(self) -> None:
        page, form = form_page()
        self.retention = QSpinBox(page)
        self.retention.setRange(MIN_RETENTION_DAYS, MAX_RETENTION_DAYS)
        self.grace = QDoubleSpinBox(page)
        self.grace.setRange(0, 24)
        form.addRow(
            TextLabel(QT_TRANSLATE_NOOP("Admin", "Keep entries at most (days)")), self.retention
        )
        form.addRow(
            TextLabel(QT_TRANSLATE_NOOP("Admin", "Keep uploaded entries (hours)")), self.grace
        )
        save = TouchButton(QT_TRANSLATE_NOOP("Admin", "Save"), page, name="save-retention")
        save.clicked.connect(self._save_retention)
        form.addRow(save)
        self._add_page(page, QT_TRANSLATE_NOOP("Admin", "Retention"))

    def _kiosk_page(self) -> None:
        page, form = form_page()
        self.verdict_seconds = QDoubleSpinBox(page)
        self.verdict_seconds.setRange(MIN_VERDICT_S, MAX_VERDICT_S)
        self.sound = QCheckBox(page)
        self.language = QComboBox(page)
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        form.addRow(
            TextLabel(QT_TRANSLATE_NOOP("Admin", "Verdict shown for (seconds)")),
            self.verdict_seconds,
        )
        form.addRow(TextLabel(QT_TRANSLATE_NOOP("Admin", "Sound")), self.sound)
        form.addRow(TextLabel(QT_TRANSLATE_NOOP("Admin", "Default language")), self.language)
        save = TouchButton(QT_TRANSLATE_NOOP("Admin", "Save"), page, name="save-kiosk")
        save.clicked.connect(self._save_kiosk)
        form.addRow(save)
        self.new_pin = QLineEdit(page)
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin.setObjectName("new-pin")
        form.addRow(TextLabel(NEW_PIN), self.new_pin)
        change = TouchButton(QT_TRANSLATE_NOOP("Admin", "Change PIN"), page, name="change-pin")
        change.clicked.connect(self._change_pin)
        form.addRow(change)
        self._add_page(page, QT_TRANSLATE_NOOP("Admin", "Kiosk"))

    def refresh(self) -> None:
        """Load the saved settings into the pages."""
        settings = self.current()
        options = load_options(self.base)
        index = self.profile.findData(settings.profile or "")
        if index < 0 and settings.profile:
            self.profile.addItem(settings.profile, settings.profile)
            index = self.profile.count() - 1
        self.profile.setCurrentIndex(max(0, index))
        self.stale_policy.setCurrentIndex(self.stale_policy.findData(settings.stale_data_policy))
        self.retention.setValue(settings.retention_days)
        self.grace.setValue(settings.upload_grace_hours)
        self.verdict_seconds.setValue(options.verdict_seconds)
        self.sound.setChecked(options.sound)
        self.language.setCurrentIndex(self.language.findData(options.language))

    def current(self) -> StationSettings:
        try:
            return load_settings(self.base)
        except ConfigError:
            return StationSettings()

    def save(self, settings: StationSettings) -> None:
        try:
            save_settings(self.base, settings)
        except OSError:
            self.said.emit(QT_TRANSLATE_NOOP("Admin", "Could not save: the disk refused."))
            return
        self.said.emit(SAVED)
        self.settings_saved.emit()

    def _save_rules(self) -> None:
        profile = self.profile.currentData() or None
        self.save(
            replace(
                self.current(), profile=profile, stale_data_policy=self.stale_policy.currentData()
            )
        )

    def _save_retention(self) -> None:
        self.save(
            replace(
                self.current(),
                retention_days=self.retention.value(),
                upload_grace_hours=self.grace.value(),
            )
        )

    def _save_kiosk(self) -> None:
        options: AppOptions = load_options(self.base).changed(
            verdict_seconds=self.verdict_seconds.value(),
            sound=self.sound.isChecked(),
            language=self.language.currentData(),
        )
        try:
            save_options(self.base, options)
        except OSError:
            self.said.emit(QT_TRANSLATE_NOOP("Admin", "Could not save: the disk refused."))
            return
        self.said.emit(SAVED)
        self.options_saved.emit(options)

    def _change_pin(self) -> None:
        pin = self.new_pin.text()
        self.new_pin.clear()
        if not valid_pin(pin):
            self.said.emit(QT_TRANSLATE_NOOP("Admin", "A PIN is 4 to 12 digits."))
            return
        self._calls.submit("set-pin", lambda: self.pins.set_pin(pin))

    def _on_call_finished(self, tag: str, answer: object) -> None:
        if tag == "set-pin" and not isinstance(answer, Exception):
            self.said.emit(QT_TRANSLATE_NOOP("Admin", "PIN changed."))
        elif tag == "set-pin":
            self.said.emit(QT_TRANSLATE_NOOP("Admin", "Could not save: the disk refused."))
