"""The plan's quantitative goals (from the tasks service or entered by hand) and their progress."""
