"""Facts: figures per enterprise and period from the bureaus, visits and clerks, with revisions."""
