"""Metrics' local copy of registry's dimensions (buildings, spaces, enterprises, occupancy,
themes), kept current from registry's change feed by ``metrics.sync``."""
