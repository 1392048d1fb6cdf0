"""`station demo`: a demo hub, every kind of credential, the real app on a virtual camera."""
