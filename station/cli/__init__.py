"""The `station` command line."""
