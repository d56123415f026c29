"""问数 for tasks: questions about task lights, states and 督办, answered by the task services."""
