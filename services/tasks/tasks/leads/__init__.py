"""招商线索 investment leads and their pipeline."""
