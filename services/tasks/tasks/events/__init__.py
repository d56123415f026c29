"""楼宇活动: 政企座谈会, 楼宇创新圆桌会, 长江楼宇议事厅 … with their organisers, invitees and outcomes."""
