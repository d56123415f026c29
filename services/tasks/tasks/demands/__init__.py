"""诉求 enterprise demands: assigned to a unit, answered, closed or reopened, with deadlines."""
