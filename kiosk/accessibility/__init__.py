"""Accessibility (Art. 10): themes in millimetres, contrast, profiles, the voice guide."""
