"""Aggregates for the statistics bureau (scope ``stats:read``) as JSON, CSV and .xlsx."""
