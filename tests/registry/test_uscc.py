"""统一社会信用代码: the GB 32100 check character, normalisation, and the audited override."""

import pytest

from registry.enterprises import uscc
from tests.registry.conftest import BUREAU, credit_code

# Real codes as published by their enterprises (check characters as issued).
REAL = ["91350100M000100Y43", "91110105771583283D", "91110000802100433B", "91440300708461136T", "91110108551385082Q"]
# Real codes from an early pilot region whose check characters do not follow the standard.
PILOT = "91350100M0001TGQXM"


class TestCheckCharacter:
    @pytest.mark.parametrize("code", REAL)
    def test_published_codes_are_valid(self, code):
        assert uscc.problem(code) is None

    def test_every_single_character_change_is_rejected_with_a_reason(self):
        code = REAL[0]
        tried = 0
        for position in range(18):
            for replacement in uscc.ALPHABET:
                if replacement == code[position]:
                    continue
                changed = code[:position] + replacement + code[position + 1 :]
                if not changed[2:8].isdigit():
                    assert "行政区划" in (uscc.problem(changed) or "")
                else:
                    assert uscc.problem(changed), changed
                tried += 1
        assert tried == 18 * 30

    def test_reason_names_the_expected_check_character(self):
        valid = REAL[0]
        wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
        message = uscc.problem(wrong)
        assert f"应为“{valid[17]}”" in message and "校验位" in message

    @pytest.mark.parametrize(
        ("code", "words"),
        [("9111000010002082", "18位"), ("91110000100020821NX", "18位"), ("9111000010002O821N", "第14位“O”")],
    )
    def test_length_and_alphabet(self, code, words):
        assert words in uscc.problem(code)

    def test_lower_case_full_width_and_spaces_are_normalised(self):
        assert uscc.normalise(" 9135 0100-m000 100y 43 ") == REAL[0]
        assert uscc.normalise("９１３５０１００Ｍ０００１００Ｙ４３") == REAL[0]

    def test_a_real_pilot_code_fails_the_check(self):
        assert "应为“1”" in uscc.problem(PILOT)


class TestEnterpriseCreate:
    def test_lower_case_input_is_stored_upper_case(self, registry):
        code = credit_code(7)
        resp = registry.post(
            "/api/registry/enterprises", json={"credit_code": code.lower(), "name": "小写代码有限公司"}, headers=BUREAU
        )
        assert resp.status_code == 201, resp.text
        assert resp.json()["credit_code"] == code

    def test_bad_check_character_is_422_naming_the_field(self, registry):
        code = credit_code(8)
        bad = code[:17] + ("A" if code[17] != "A" else "B")
        resp = registry.post(
            "/api/registry/enterprises", json={"credit_code": bad, "name": "某某有限公司"}, headers=BUREAU
        )
        assert resp.status_code == 422
        body = resp.json()
        assert body["fields"][0]["field"] == "credit_code"
        assert "校验位" in body["fields"][0]["message"]

    def test_duplicate_credit_code_returns_409_naming_the_existing_enterprise(self, registry):
        code = credit_code(9)
        registry.post("/api/registry/enterprises", json={"credit_code": code, "name": "先登记有限公司"}, headers=BUREAU)
        resp = registry.post(
            "/api/registry/enterprises", json={"credit_code": code, "name": "后登记有限公司"}, headers=BUREAU
        )
        assert resp.status_code == 409
        assert "先登记有限公司" in resp.json()["detail"]

    def test_override_needs_a_reason_and_is_marked_for_the_audit_trail(self, registry):
        bad = PILOT
        no_reason = registry.post(
            "/api/registry/enterprises",
            json={"credit_code": bad, "name": "例外有限公司", "check_override": True},
            headers=BUREAU,
        )
        assert no_reason.status_code == 422
        assert no_reason.json()["fields"][0]["field"] == "override_reason"
        resp = registry.post(
            "/api/registry/enterprises",
            json={
                "credit_code": bad,
                "name": "例外有限公司",
                "check_override": True,
                "override_reason": "经市场监管系统核实",
            },
            headers=BUREAU,
        )
        assert resp.status_code == 201, resp.text
        assert resp.json()["check_override"] is True
        assert resp.headers["X-Audit-Action"] == "enterprise.check_override"
        assert resp.headers["X-Audit-Object"] == f"enterprise:{bad}"

    def test_override_cannot_pass_a_wrong_length(self, registry):
        resp = registry.post(
            "/api/registry/enterprises",
            json={"credit_code": "9142010", "name": "短代码", "check_override": True, "override_reason": "确认无误的"},
            headers=BUREAU,
        )
        assert resp.status_code == 422
        assert "18位" in resp.json()["fields"][0]["message"]

    def test_unknown_industry_code_is_refused(self, registry):
        resp = registry.post(
            "/api/registry/enterprises",
            json={"credit_code": credit_code(11), "name": "行业错误有限公司", "industry_code": "9999"},
            headers=BUREAU,
        )
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "industry_code"
