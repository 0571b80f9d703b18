"""The bundle's entry point: what `orchard` runs when installed with pip (desktop.cli:main)."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
