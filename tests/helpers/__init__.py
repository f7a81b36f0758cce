"""The tests' own helpers over kiosk.testing: one kiosk builder and its fixtures."""
