"""The verification pipeline: pure functions from scanned text (plus ports) to a result."""
