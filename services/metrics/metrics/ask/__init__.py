"""问数: questions in Chinese read into a structured query and answered by the KPI services."""
