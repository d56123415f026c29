"""党建 of a building (light): organisation, 党建指导员, 楼宇理事会, 商会 / 党建联盟, 一楼四员."""
