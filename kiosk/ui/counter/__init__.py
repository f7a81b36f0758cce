"""The counter's staff console (issue 8). The customer-facing window is the kiosk's own."""
