"""Coverage-guided fuzz harnesses of the station's front doors (reliability plan T36).

Each harness module has `TestOneInput(data: bytes)` (the libFuzzer entry point atheris calls),
`SEEDS` (a function giving its seed inputs) and `main()`. The modules import atheris only in
`main`, so the test suite can run every harness on its seeds without it. See fuzz/README.md.
"""
