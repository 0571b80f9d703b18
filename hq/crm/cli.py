"""`orchard-hq` commands of hq.crm (issue 23); filled in by its module."""

from __future__ import annotations

import argparse


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add this package's commands to `orchard-hq`."""
