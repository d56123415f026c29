"""Louyu gateway: sign-in, tokens, users and machine clients, the audit trail, the proxy to
the three services, and the single-page app."""
