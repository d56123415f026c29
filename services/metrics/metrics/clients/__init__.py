"""Clients of the peer services (one class per peer, created in the app's lifespan)."""
