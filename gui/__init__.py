"""PySide6 station app (kiosk and laptop modes)."""
