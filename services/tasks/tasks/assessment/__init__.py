"""绩效考核: scoring rules per unit and scores per unit per period with their breakdown."""
