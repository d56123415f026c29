"""楼长 accounts to pick from (the building form's 楼长 / 联络员 selects)."""
