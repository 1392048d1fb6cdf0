"""SQLite-backed implementations of the core's stores."""
