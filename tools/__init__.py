"""Developer tools that drive the product from outside it: the README's screenshots and
rendered documents. Not part of the installed package (pyproject lists core, desktop,
reports and hq only); they use the screens' and core's public API, as a user or another
program would (tests/test_tools_boundary.py holds them to it)."""
