"""The social security card: protocol, readers (PC/SC, simulated), and the virtual card."""
