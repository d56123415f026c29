"""Clients of the peer services registry calls (one class per peer, created in the app's lifespan)."""
