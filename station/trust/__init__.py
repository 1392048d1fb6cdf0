"""Trusted signer certificates: parsing, import formats and the in-memory kid index."""
