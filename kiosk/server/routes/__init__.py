"""The /v1 endpoints, one module per area of the API."""
