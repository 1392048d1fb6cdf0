"""Sync client, uploader and reference hub."""
