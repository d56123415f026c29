"""The map of buildings (地图): coordinates, tiers, themes, vacancy and the district outline."""
