"""The station's side of the tracing upload: signed batches from the entry log to the hub.

`signing` holds the device key (it proves a batch came from this station), `batch` the wire
form, `uploader` one pass over the outbox, `backoff` the waits after failures, and `daemon` /
`cli` the `station upload` command.
"""
