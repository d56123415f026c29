"""预警: configurable rules evaluated over the rollups and the read model, persisted with dates."""
