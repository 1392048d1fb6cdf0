"""Implementations of the core's ports with real technology (clock, QR readers, cameras)."""
