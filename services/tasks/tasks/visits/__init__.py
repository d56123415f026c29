"""扫楼 visits: rounds, visit records, photos, vacancy written through to registry, coverage."""
