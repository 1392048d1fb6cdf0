"""Strict, bounded decoders for the transport layers of health credentials."""
