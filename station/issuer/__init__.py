"""A test issuer: keys, signer certificates and signed credentials for demos, tests and benches.

Never used to verify; it exists so that nothing depends on frozen files alone.
"""
