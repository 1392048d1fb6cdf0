"""Business rules: CertLogic, the language the EU DCC acceptance rules are written in."""
