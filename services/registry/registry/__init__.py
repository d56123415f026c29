"""Louyu registry service: buildings, spaces, enterprises and occupancy (一楼一档、一企一档)."""
