"""线索匹配房源: the pure scoring function on crafted cases."""

from __future__ import annotations

from datetime import date

from tasks.leads.matching import Candidate, Needs, rank, score, section_of

TODAY = date(2025, 9, 1)
FINANCE = ("66", "67", "68", "69")


def space(
    space_id: int,
    *,
    area: float = 500,
    available_from: date | None = None,
    rent: float | None = 80,
    prefixes: tuple[str, ...] = FINANCE,
    floor: int = 10,
) -> Candidate:
    return Candidate(
        space_id=space_id,
        building_code=f"B{space_id:03d}",
        building_name=f"楼宇{space_id}",
        floor=floor,
        unit="整层",
        area=area,
        available_from=available_from,
        asking_rent=rent,
        theme_names=("金融",) if prefixes == FINANCE else ("数字经济",),
        industry_prefixes=prefixes,
    )


NEEDS = Needs(area_min=400, area_max=600, industry_code="6621", needed_by=date(2025, 12, 31), budget_rent=90)


class TestRank:
    def test_too_small_is_left_out(self) -> None:
        assert [m.candidate.space_id for m in rank(NEEDS, [space(1, area=200), space(2)], today=TODAY)] == [2]

    def test_too_late_is_left_out(self) -> None:
        late = space(1, available_from=date(2026, 3, 1))
        m = score(NEEDS, late, today=TODAY)
        assert m.excluded
        assert any(r.kind == "date" and not r.fits and "晚于" in r.text for r in m.reasons)
        assert rank(NEEDS, [late], today=TODAY) == []

    def test_wrong_theme_ranks_below_right_theme(self) -> None:
        wrong = space(1, prefixes=("63", "64", "65"))
        right = space(2)
        ranked = rank(NEEDS, [wrong, right], today=TODAY)
        assert [m.candidate.space_id for m in ranked] == [2, 1]
        theme = next(r for r in ranked[1].reasons if r.kind == "theme")
        assert not theme.fits and "不属于" in theme.text

    def test_best_fit_first_with_all_reasons(self) -> None:
        best = space(1, area=500, available_from=date(2025, 10, 1), rent=85)
        pricey = space(2, area=500, rent=150)
        big = space(3, area=850)
        ranked = rank(NEEDS, [big, pricey, best], today=TODAY)
        assert ranked[0].candidate.space_id == 1
        assert ranked[0].score == 100
        assert [r.label for r in ranked[0].reasons] == ["面积契合", "可用日期", "楼宇主题契合", "租金"]
        assert all(r.fits for r in ranked[0].reasons)
        assert ranked[0].score > ranked[1].score >= ranked[2].score

    def test_section_letter_matches_theme_prefixes(self) -> None:
        needs = Needs(industry_code="J")
        theme = next(r for r in score(needs, space(1), today=TODAY).reasons if r.kind == "theme")
        assert theme.fits and theme.points == theme.max_points

    def test_floor_outside_preference_costs_points(self) -> None:
        needs = Needs(area_min=400, area_max=600, floor_min=20, floor_max=30)
        assert score(needs, space(1, floor=10), today=TODAY).score < score(needs, space(2, floor=25), today=TODAY).score

    def test_no_needs_still_ranks_by_availability(self) -> None:
        ranked = rank(Needs(), [space(1, available_from=date(2025, 11, 1)), space(2)], today=TODAY)
        assert [m.candidate.space_id for m in ranked] == [2, 1]


def test_section_of() -> None:
    assert section_of("6621") == "J"
    assert section_of("65") == "I"
    assert section_of("r") == "R"
    assert section_of("x1") is None
