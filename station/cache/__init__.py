"""The station's local cache: signer certificates, revocations, status list, rules, sync state."""
