"""Louyu's shared infrastructure (settings, database, errors, tokens, paging, http, change feed).

Infrastructure only: no domain code lives here."""
