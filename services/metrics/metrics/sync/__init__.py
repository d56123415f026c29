"""The read model's feeder: the consumer of registry's change feed and its status (`/sync`)."""
