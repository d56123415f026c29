"""Attribution of enterprise figures to buildings and the monthly rollups the KPIs read."""
