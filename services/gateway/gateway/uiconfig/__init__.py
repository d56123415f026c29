"""Runtime UI configuration the SPA reads after sign-in (the map's tile server)."""
