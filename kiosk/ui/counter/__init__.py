"""The counter's staff console. The customer-facing window is the kiosk's own."""
