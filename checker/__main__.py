"""`python -m checker` is the same as `contract-check`."""

from checker.cli import main

main()
