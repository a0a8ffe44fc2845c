"""One module per command-line command: `add_parser(subparsers)` declares it, `run(args)` does it."""
