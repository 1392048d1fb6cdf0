"""The entry log: one durable, sealed row per decision, queued for the tracing upload."""
