"""KPIs of buildings, streets, themes, zones and the district; rankings and tiers."""
