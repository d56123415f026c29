"""特色楼宇: the configurable rule per theme and the verdict per building, with its reasons."""
