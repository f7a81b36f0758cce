"""Stand-ins for every port of the flows, a clock, runners and the audit's stage.

One kit serves `kiosk audit` and the test suite, so the two cannot drift apart. Nothing in the
product imports it (an import-linter contract says so): only kiosk.audit and the tests do.
"""
