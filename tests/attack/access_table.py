"""The expected-access table of the role × route matrix (tests/attack/test_routes.py).

One line per route of the four OpenAPI documents: ``(METHOD, path, {who: level})``. ``who`` is a
role (leader, bureau, department, street, chief, auditor, admin) or a machine scope
(facts:write, stats:read) or the 大屏 kiosk (screen: the dashboard, the map, the warning counts
and the 待办 counts only); anyone not named must be refused. Levels:

- ``ANY``: may act on any object, another street's or unit's included;
- ``OWN``: may act only within its own scope (its street's buildings, its unit's tasks): the
  matrix sends another street's / unit's ids, so the answer must be a refusal, and a list it may
  read must not show the other street's building or enterprise.

The rules are SECURITY.md's: the admin manages accounts and clients only and never touches an
auditor's account; the auditor reads the audit log only; the leader reads everything and writes
nothing; change feeds are for service tokens only; reference data is the bureau's.
A route missing from this table fails the matrix (new routes must be placed).
"""

from __future__ import annotations

ANY = "any"
OWN = "own"

EVERYONE = (
    "leader",
    "bureau",
    "department",
    "street",
    "chief",
    "auditor",
    "admin",
    "screen",
    "facts:write",
    "stats:read",
)
PEOPLE = ("leader", "bureau", "department", "street", "chief", "auditor", "admin", "screen")


def _all(*who: str) -> dict[str, str]:
    return dict.fromkeys(who, ANY)


# Reading business data: leader, bureau, department everything; street and chief their own.
READERS = {"leader": ANY, "bureau": ANY, "department": ANY, "street": OWN, "chief": OWN}
# Tasks are read district-wide by every unit (a 楼长 sees its own).
TASK_READERS = {"leader": ANY, "bureau": ANY, "department": ANY, "street": ANY, "chief": OWN}
# Registry writes: the bureau anywhere, a street and a 楼长 within their own buildings.
REGISTRY_WRITERS = {"bureau": ANY, "street": OWN, "chief": OWN}
BUREAU = {"bureau": ANY}
# The 大屏's figures: every reader, and the kiosk account (district-wide, read only).
SCREEN_READERS = {**READERS, "screen": ANY}
# 视察座谈, 整改意见, 年度总结: read by every unit role; a unit answers and writes only its own share.
TASK_ROLES = ("leader", "bureau", "department", "street", "chief")
UNIT_WRITERS = {"bureau": ANY, "department": OWN, "street": OWN}
STATS = {**READERS, "stats:read": ANY}
NOBODY: dict[str, str] = {}

TABLE: list[tuple[str, str, dict[str, str]]] = [
    # ----- gateway ---------------------------------------------------------------------------
    ("GET", "/api/auth/health", _all(*EVERYONE)),
    ("GET", "/api/auth/ready", _all(*EVERYONE)),
    ("GET", "/api/auth/ui-config", _all(*EVERYONE)),
    ("GET", "/api/auth/.well-known/jwks.json", _all(*EVERYONE)),  # public keys, for the services
    ("GET", "/api/auth/me", _all(*EVERYONE)),
    ("POST", "/api/auth/password", _all(*PEOPLE)),  # the matrix sends a wrong current password
    ("GET", "/api/auth/users", {"admin": ANY}),
    ("GET", "/api/auth/chiefs", {"bureau": ANY, "street": OWN}),  # 楼长 to pick on the building form
    ("POST", "/api/auth/users", NOBODY),  # the generated body asks for an auditor account
    ("GET", "/api/auth/users/{username}", {"admin": ANY}),
    ("PATCH", "/api/auth/users/{username}", NOBODY),  # {username} is the auditor's account
    ("POST", "/api/auth/users/{username}/password", NOBODY),
    ("POST", "/api/auth/users/{username}/unlock", NOBODY),
    ("GET", "/api/auth/clients", {"admin": ANY}),
    ("POST", "/api/auth/clients", {"admin": ANY}),
    ("GET", "/api/auth/clients/{client_id}", {"admin": ANY}),
    ("PATCH", "/api/auth/clients/{client_id}", {"admin": ANY}),
    ("DELETE", "/api/auth/clients/{client_id}", {"admin": ANY}),
    ("POST", "/api/auth/clients/{client_id}/rotate-secret", {"admin": ANY}),
    ("GET", "/api/auth/audit", {"auditor": ANY}),
    ("GET", "/api/auth/audit/actions", {"auditor": ANY}),
    ("GET", "/api/auth/audit/export", {"auditor": ANY}),
    # ----- registry --------------------------------------------------------------------------
    ("GET", "/api/registry/health", _all(*EVERYONE)),
    ("GET", "/api/registry/ready", _all(*EVERYONE)),
    ("GET", "/api/registry/changes", NOBODY),
    ("GET", "/api/registry/meta", {**READERS, "admin": ANY}),
    ("GET", "/api/registry/streets", {**_all(*READERS), "admin": ANY}),
    ("POST", "/api/registry/streets", BUREAU),
    ("GET", "/api/registry/industries", {**_all(*READERS), "admin": ANY}),
    ("GET", "/api/registry/themes", {**_all(*READERS), "admin": ANY}),
    ("POST", "/api/registry/themes", BUREAU),
    ("PUT", "/api/registry/themes/{code}", BUREAU),
    ("GET", "/api/registry/enums", {**_all(*READERS), "admin": ANY}),
    ("GET", "/api/registry/buildings", READERS),
    ("POST", "/api/registry/buildings", {"bureau": ANY, "street": OWN}),
    ("GET", "/api/registry/buildings/{code}", READERS),
    ("PATCH", "/api/registry/buildings/{code}", REGISTRY_WRITERS),
    ("DELETE", "/api/registry/buildings/{code}", {"bureau": ANY, "street": OWN}),
    ("POST", "/api/registry/buildings/{code}/contacts/reveal", READERS),
    ("GET", "/api/registry/buildings/{code}/history", READERS),
    # 党建 of a building: read with the building, written by who writes the building.
    ("GET", "/api/registry/buildings/{code}/party", READERS),
    ("PUT", "/api/registry/buildings/{code}/party", REGISTRY_WRITERS),
    ("GET", "/api/registry/party/summary", READERS),
    ("GET", "/api/registry/imports/{kind}/template", _all(*READERS)),
    ("POST", "/api/registry/imports/{kind}", REGISTRY_WRITERS),
    ("GET", "/api/registry/imports", {"bureau": ANY, "street": OWN, "chief": OWN}),
    ("GET", "/api/registry/inbox", {"bureau": ANY, "street": OWN, "chief": OWN}),  # my refused imports
    ("GET", "/api/registry/exports/{kind}", READERS),
    ("GET", "/api/registry/spaces/available/export", READERS),
    ("GET", "/api/registry/spaces/available", READERS),
    ("GET", "/api/registry/buildings/{code}/spaces", READERS),
    ("POST", "/api/registry/buildings/{code}/spaces", REGISTRY_WRITERS),
    ("GET", "/api/registry/spaces/{space_id}", READERS),
    ("PATCH", "/api/registry/spaces/{space_id}", REGISTRY_WRITERS),
    ("DELETE", "/api/registry/spaces/{space_id}", REGISTRY_WRITERS),
    ("GET", "/api/registry/spaces/{space_id}/history", READERS),
    ("GET", "/api/registry/enterprises", READERS),
    ("POST", "/api/registry/enterprises", REGISTRY_WRITERS),
    ("GET", "/api/registry/enterprises/{credit_code}", READERS),
    ("PATCH", "/api/registry/enterprises/{credit_code}", REGISTRY_WRITERS),
    ("DELETE", "/api/registry/enterprises/{credit_code}", BUREAU),
    ("GET", "/api/registry/enterprises/{credit_code}/history", READERS),
    ("GET", "/api/registry/buildings/{code}/tenants", READERS),
    ("GET", "/api/registry/buildings/{code}/occupancies", READERS),
    ("GET", "/api/registry/enterprises/{credit_code}/occupancies", READERS),
    ("POST", "/api/registry/occupancies", REGISTRY_WRITERS),
    ("GET", "/api/registry/occupancies/{occupancy_id}", READERS),
    ("PATCH", "/api/registry/occupancies/{occupancy_id}", REGISTRY_WRITERS),
    ("DELETE", "/api/registry/occupancies/{occupancy_id}", REGISTRY_WRITERS),
    ("POST", "/api/registry/occupancies/{occupancy_id}/end", REGISTRY_WRITERS),
    ("POST", "/api/registry/occupancies/{occupancy_id}/move", REGISTRY_WRITERS),
    ("GET", "/api/registry/occupancies/{occupancy_id}/history", READERS),
    # 入驻申请: a street or 楼长 proposes moving in an enterprise outside its scope (sees its own
    # proposals); only the bureau confirms or rejects.
    ("GET", "/api/registry/occupancy-proposals", READERS),
    ("POST", "/api/registry/occupancy-proposals", REGISTRY_WRITERS),
    ("GET", "/api/registry/occupancy-proposals/{proposal_id}", READERS),
    ("POST", "/api/registry/occupancy-proposals/{proposal_id}/confirm", BUREAU),
    ("POST", "/api/registry/occupancy-proposals/{proposal_id}/reject", BUREAU),
    # ----- tasks -----------------------------------------------------------------------------
    ("GET", "/api/tasks/health", _all(*EVERYONE)),
    ("GET", "/api/tasks/ready", _all(*EVERYONE)),
    ("GET", "/api/tasks/changes", NOBODY),
    ("GET", "/api/tasks/units", {**_all(*READERS), "admin": ANY}),
    ("POST", "/api/tasks/units", BUREAU),
    ("POST", "/api/tasks/units/resolve", {**_all(*READERS), "admin": ANY}),
    ("GET", "/api/tasks/units/{code}", {**_all(*READERS), "admin": ANY}),
    ("PATCH", "/api/tasks/units/{code}", BUREAU),
    ("POST", "/api/tasks/units/{code}/aliases", BUREAU),
    ("DELETE", "/api/tasks/units/{code}/aliases/{alias_id}", BUREAU),
    ("POST", "/api/tasks/plans/import", BUREAU),
    ("GET", "/api/tasks/plans", TASK_READERS),
    ("GET", "/api/tasks/plans/{plan_id}", TASK_READERS),
    ("DELETE", "/api/tasks/plans/{plan_id}", BUREAU),
    ("GET", "/api/tasks/plans/{plan_id}/tree", TASK_READERS),
    ("GET", "/api/tasks/goals", TASK_READERS),
    ("GET", "/api/tasks/tasks", TASK_READERS),
    ("POST", "/api/tasks/tasks", BUREAU),
    ("GET", "/api/tasks/tasks/mine", TASK_READERS),
    ("GET", "/api/tasks/tasks/{task_id}", TASK_READERS),
    ("PATCH", "/api/tasks/tasks/{task_id}", BUREAU),
    ("POST", "/api/tasks/tasks/{task_id}/updates", {"bureau": ANY, "department": OWN, "street": OWN, "chief": OWN}),
    ("GET", "/api/tasks/tasks/{task_id}/updates", TASK_READERS),
    ("POST", "/api/tasks/tasks/{task_id}/attachments", {"bureau": ANY, "department": OWN, "street": OWN, "chief": OWN}),
    # ----- 责任分解: each unit's part (tasks/parts); a unit reports on its own part only ----------
    ("GET", "/api/tasks/tasks/{task_id}/parts", TASK_READERS),
    ("POST", "/api/tasks/tasks/{task_id}/complete", {"bureau": ANY, "department": OWN, "street": OWN, "chief": OWN}),
    ("GET", "/api/tasks/parts/due", _all(*TASK_ROLES)),
    ("PATCH", "/api/tasks/parts/{part_id}", BUREAU),
    ("POST", "/api/tasks/parts/{part_id}/reports", {"bureau": OWN, "department": OWN, "street": OWN, "chief": OWN}),
    ("GET", "/api/tasks/parts/{part_id}/reports", TASK_READERS),
    ("POST", "/api/tasks/parts/{part_id}/attachments", {"bureau": OWN, "department": OWN, "street": OWN, "chief": OWN}),
    ("GET", "/api/tasks/plans/{plan_id}/report-cycle", TASK_READERS),
    ("PUT", "/api/tasks/plans/{plan_id}/report-cycle", BUREAU),
    ("PUT", "/api/tasks/tasks/{task_id}/report-cycle", BUREAU),
    # ----- 问数 about tasks (tasks/ask): answered within the asker's sight ----------------------
    ("POST", "/api/tasks/ask", _all(*TASK_ROLES)),
    ("GET", "/api/tasks/tasks/{task_id}/attachments/{attachment_id}", TASK_READERS),
    (
        "GET",
        "/api/tasks/supervision/notices",
        {"leader": ANY, "bureau": ANY, "department": OWN, "street": OWN, "chief": OWN},
    ),
    ("POST", "/api/tasks/supervision/notices", BUREAU),
    # Counts per unit: a department, street or 楼长 sees only its own units' notices (as in the list).
    (
        "GET",
        "/api/tasks/supervision/open-by-unit",
        {"leader": ANY, "bureau": ANY, "department": OWN, "street": OWN, "chief": OWN},
    ),
    (
        "GET",
        "/api/tasks/supervision/notices/{notice_id}",
        {"leader": ANY, "bureau": ANY, "department": OWN, "street": OWN, "chief": OWN},
    ),
    (
        "POST",
        "/api/tasks/supervision/notices/{notice_id}/response",
        {"bureau": ANY, "department": OWN, "street": OWN, "chief": OWN},
    ),
    ("POST", "/api/tasks/supervision/notices/{notice_id}/escalate", BUREAU),
    ("POST", "/api/tasks/supervision/notices/{notice_id}/close", BUREAU),
    ("POST", "/api/tasks/supervision/run", BUREAU),
    # ----- 人大代表视察、座谈, 整改意见 (tasks/inspections) -------------------------------------
    ("GET", "/api/tasks/inspections", _all(*TASK_ROLES)),
    ("POST", "/api/tasks/inspections", BUREAU),
    ("GET", "/api/tasks/inspections/{inspection_id}", _all(*TASK_ROLES)),
    ("POST", "/api/tasks/inspections/{inspection_id}/deputies/reveal", _all("leader", "bureau")),
    ("POST", "/api/tasks/inspections/{inspection_id}/opinions", BUREAU),
    ("POST", "/api/tasks/inspections/{inspection_id}/photos", BUREAU),
    ("GET", "/api/tasks/inspections/{inspection_id}/photos/{file_id}", _all(*TASK_ROLES)),
    ("GET", "/api/tasks/opinions", _all(*TASK_ROLES)),
    ("GET", "/api/tasks/opinions/figures", _all(*TASK_ROLES)),
    ("GET", "/api/tasks/screen/todo", _all("leader", "bureau", "screen")),
    ("POST", "/api/tasks/opinions/urge-overdue", BUREAU),
    ("GET", "/api/tasks/opinions/{opinion_id}", _all(*TASK_ROLES)),
    ("POST", "/api/tasks/opinions/{opinion_id}/assignments/{assignment_id}/answer", UNIT_WRITERS),
    ("POST", "/api/tasks/opinions/{opinion_id}/assignments/{assignment_id}/confirm", BUREAU),
    ("POST", "/api/tasks/opinions/{opinion_id}/assignments/{assignment_id}/send-back", BUREAU),
    ("POST", "/api/tasks/opinions/{opinion_id}/assignments/{assignment_id}/urge", BUREAU),
    ("POST", "/api/tasks/opinions/{opinion_id}/assignments/{assignment_id}/evidence", UNIT_WRITERS),
    ("GET", "/api/tasks/opinions/{opinion_id}/assignments/{assignment_id}/evidence/{file_id}", _all(*TASK_ROLES)),
    # ----- 总结验收 and the 办理情况报告 (tasks/summaries): a unit reads and writes its own -----
    ("GET", "/api/tasks/plans/{plan_id}/summaries", _all(*TASK_ROLES)),
    ("GET", "/api/tasks/plans/{plan_id}/summaries/{unit_code}", _all(*TASK_ROLES)),
    ("PUT", "/api/tasks/plans/{plan_id}/summaries/{unit_code}", UNIT_WRITERS),
    ("POST", "/api/tasks/plans/{plan_id}/summaries/{unit_code}/submit", UNIT_WRITERS),
    ("POST", "/api/tasks/plans/{plan_id}/summaries/{unit_code}/return", BUREAU),
    ("POST", "/api/tasks/plans/{plan_id}/summaries/{unit_code}/accept", BUREAU),
    ("POST", "/api/tasks/plans/{plan_id}/summaries/{unit_code}/attachments", UNIT_WRITERS),
    ("GET", "/api/tasks/plans/{plan_id}/summaries/{unit_code}/attachments/{file_id}", _all(*TASK_ROLES)),
    ("GET", "/api/tasks/plans/{plan_id}/report", _all("leader", "bureau")),
    ("GET", "/api/tasks/plans/{plan_id}/report.html", _all("leader", "bureau")),
    ("GET", "/api/tasks/plans/{plan_id}/report.docx", _all("leader", "bureau")),
    ("POST", "/api/tasks/plans/{plan_id}/report/issues", BUREAU),
    ("GET", "/api/tasks/plans/{plan_id}/report/issues", _all("leader", "bureau")),
    ("GET", "/api/tasks/report-issues/{issue_id}.html", _all("leader", "bureau")),
    ("GET", "/api/tasks/report-issues/{issue_id}.docx", _all("leader", "bureau")),
    ("GET", "/api/tasks/report-issues/{issue_id}", _all("leader", "bureau")),
    ("POST", "/api/tasks/visit-rounds", BUREAU),
    ("GET", "/api/tasks/visit-rounds", TASK_READERS),
    ("GET", "/api/tasks/visit-rounds/{round_id}", TASK_READERS),
    ("GET", "/api/tasks/visit-rounds/{round_id}/coverage", TASK_READERS),
    ("GET", "/api/tasks/visit-rounds/{round_id}/buildings", TASK_READERS),
    ("GET", "/api/tasks/visit-rounds/{round_id}/unvisited", TASK_READERS),
    ("POST", "/api/tasks/visits", {"bureau": ANY, "street": OWN, "chief": OWN, "department": OWN}),
    ("GET", "/api/tasks/visits", {**READERS}),
    ("GET", "/api/tasks/visits/{visit_id}", {**READERS}),
    ("POST", "/api/tasks/visits/{visit_id}/photos", {"bureau": ANY, "street": OWN, "chief": OWN, "department": OWN}),
    ("GET", "/api/tasks/visits/{visit_id}/photos/{photo_id}", {**READERS}),
    ("POST", "/api/tasks/leads", {"bureau": ANY, "street": ANY, "chief": ANY, "department": ANY}),
    ("GET", "/api/tasks/leads", {**READERS}),
    ("GET", "/api/tasks/leads/{lead_id}", {**READERS}),
    ("PATCH", "/api/tasks/leads/{lead_id}", {"bureau": ANY, "street": OWN, "chief": OWN, "department": OWN}),
    ("POST", "/api/tasks/leads/{lead_id}/stage", {"bureau": ANY, "street": OWN, "chief": OWN, "department": OWN}),
    ("POST", "/api/tasks/leads/{lead_id}/contact/reveal", {**READERS}),
    # 线索匹配: as reading the lead; the spaces are those registry lets the caller read.
    ("GET", "/api/tasks/leads/{lead_id}/matches", {**READERS}),
    ("GET", "/api/tasks/spaces/{space_id}/leads", READERS),
    # 一企一档: the enterprise must be readable in registry, each list then by the caller's scope.
    ("GET", "/api/tasks/enterprises/{credit_code}/record", READERS),
    ("GET", "/api/tasks/demand-categories", _all(*READERS)),
    ("POST", "/api/tasks/demands", {"bureau": ANY, "street": OWN, "chief": OWN}),
    ("GET", "/api/tasks/demands", {**READERS}),
    # Scoped like the demands list: a 楼长 sees the overdue ones it submitted.
    (
        "GET",
        "/api/tasks/demands/overdue",
        {"leader": ANY, "bureau": ANY, "department": OWN, "street": OWN, "chief": OWN},
    ),
    ("GET", "/api/tasks/demands/{demand_id}", {**READERS}),
    ("POST", "/api/tasks/demands/{demand_id}/assign", BUREAU),
    ("POST", "/api/tasks/demands/{demand_id}/start", {"bureau": ANY, "department": OWN, "street": OWN}),
    ("POST", "/api/tasks/demands/{demand_id}/answer", {"bureau": ANY, "department": OWN, "street": OWN}),
    ("POST", "/api/tasks/demands/{demand_id}/close", {"bureau": ANY, "street": OWN, "chief": OWN}),
    ("POST", "/api/tasks/demands/{demand_id}/reopen", {"bureau": ANY, "street": OWN, "chief": OWN}),
    ("POST", "/api/tasks/demands/{demand_id}/contact/reveal", {**READERS}),
    # 楼宇活动: the bureau and streets record (a street its own streets'); a street reads its
    # streets' events, a department or 楼长 those its units organise.
    ("POST", "/api/tasks/events", {"bureau": ANY, "street": OWN}),
    ("GET", "/api/tasks/events", {**READERS}),
    ("GET", "/api/tasks/events/calendar", {**READERS}),
    ("GET", "/api/tasks/events/stats", {**READERS}),
    ("GET", "/api/tasks/events/{event_id}", {**READERS}),
    ("PATCH", "/api/tasks/events/{event_id}", {"bureau": ANY, "street": OWN}),
    ("DELETE", "/api/tasks/events/{event_id}", {"bureau": ANY, "street": OWN}),
    # 招商共享中心: the bureau opens centres; a street reads its street's and records their stays;
    # a department or 楼长 gets an empty list. The opened count is for metrics (and readers of goals).
    ("GET", "/api/tasks/centres/opened", {"leader": ANY, "bureau": ANY}),
    ("POST", "/api/tasks/centres", BUREAU),
    ("GET", "/api/tasks/centres", {**READERS, "department": OWN}),
    ("GET", "/api/tasks/centres/{centre_id}", {**READERS, "department": OWN}),
    ("POST", "/api/tasks/centres/{centre_id}/stays", {"bureau": ANY, "street": OWN}),
    ("POST", "/api/tasks/centres/{centre_id}/stays/{stay_id}/end", {"bureau": ANY, "street": OWN}),
    ("POST", "/api/tasks/bulletins", BUREAU),
    ("GET", "/api/tasks/bulletins", {"leader": ANY, "bureau": ANY, "department": ANY, "street": ANY}),
    (
        "GET",
        "/api/tasks/bulletins/{bulletin_id}.html",
        {"leader": ANY, "bureau": ANY, "department": ANY, "street": ANY},
    ),
    (
        "GET",
        "/api/tasks/bulletins/{bulletin_id}.docx",
        {"leader": ANY, "bureau": ANY, "department": ANY, "street": ANY},
    ),
    ("GET", "/api/tasks/bulletins/{bulletin_id}", {"leader": ANY, "bureau": ANY, "department": ANY, "street": ANY}),
    (
        "GET",
        "/api/tasks/bulletins/{bulletin_id}/recipients",
        {"leader": ANY, "bureau": ANY, "department": ANY, "street": ANY},
    ),
    ("POST", "/api/tasks/bulletins/{bulletin_id}/sends", BUREAU),
    # 待办: every person with tasks reads their own (nothing of another unit is named in the request).
    ("GET", "/api/tasks/inbox", _all("leader", "bureau", "department", "street", "chief")),
    ("GET", "/api/tasks/inbox/count", _all("leader", "bureau", "department", "street", "chief")),
    # 政策库 / 精准推送 / 申报与兑现 (tasks/policies): the bureau and the 科创人才中心 (a department
    # of unit kcrc; the matrix's department is 区发改局, refused) manage; policies are read by every
    # business role; a street sees its streets' pushes, deliveries and applications, a 楼长 its
    # buildings' pushes and its deliveries (matching reads registry with the caller's token).
    ("GET", "/api/tasks/policies", _all(*TASK_ROLES)),
    ("POST", "/api/tasks/policies", BUREAU),
    ("GET", "/api/tasks/policies/import/template", BUREAU),
    ("POST", "/api/tasks/policies/import", BUREAU),
    ("GET", "/api/tasks/policies/{policy_id}", _all(*TASK_ROLES)),
    ("PATCH", "/api/tasks/policies/{policy_id}", BUREAU),
    ("GET", "/api/tasks/policies/{policy_id}/matches", READERS),
    ("POST", "/api/tasks/policies/{policy_id}/push", BUREAU),
    ("POST", "/api/tasks/policies/{policy_id}/deliveries", {"bureau": ANY, "street": OWN, "chief": OWN}),
    ("GET", "/api/tasks/policy-pushes", READERS),
    ("GET", "/api/tasks/policy-deliveries", READERS),
    ("GET", "/api/tasks/policy-applications", {"leader": ANY, "bureau": ANY, "department": ANY, "street": OWN}),
    ("POST", "/api/tasks/policy-applications", BUREAU),
    ("GET", "/api/tasks/policy-applications/totals", {"leader": ANY, "bureau": ANY, "department": ANY, "street": OWN}),
    ("GET", "/api/tasks/policy-applications/import/template", BUREAU),
    ("POST", "/api/tasks/policy-applications/import", BUREAU),
    (
        "GET",
        "/api/tasks/policy-applications/{app_id}",
        {"leader": ANY, "bureau": ANY, "department": ANY, "street": OWN},
    ),
    ("PATCH", "/api/tasks/policy-applications/{app_id}", BUREAU),
    ("GET", "/api/tasks/notifications", BUREAU),
    ("POST", "/api/tasks/notifications/deliver", BUREAU),
    ("GET", "/api/tasks/assessment/rules", TASK_READERS),
    ("PUT", "/api/tasks/assessment/rules/{target}", BUREAU),
    ("DELETE", "/api/tasks/assessment/rules/{target}", BUREAU),
    ("POST", "/api/tasks/assessment/runs", BUREAU),
    ("GET", "/api/tasks/assessment/runs/{run_id}", TASK_READERS),
    ("GET", "/api/tasks/assessment/scores", TASK_READERS),
    # ----- metrics ---------------------------------------------------------------------------
    ("GET", "/api/metrics/health", _all(*EVERYONE)),
    ("GET", "/api/metrics/ready", _all(*EVERYONE)),
    ("GET", "/api/metrics/changes", NOBODY),
    ("GET", "/api/metrics/sync", {"leader": ANY, "bureau": ANY, "admin": ANY}),
    ("POST", "/api/metrics/facts/batches", {"bureau": ANY, "facts:write": ANY}),
    ("GET", "/api/metrics/facts/batches", {"bureau": ANY, "facts:write": OWN}),
    ("GET", "/api/metrics/inbox", BUREAU),  # my failed batches
    ("GET", "/api/metrics/facts/batches/{batch_id}", {"bureau": ANY, "facts:write": OWN}),
    ("GET", "/api/metrics/facts", {"leader": ANY, "bureau": ANY}),
    ("GET", "/api/metrics/unregistered-taxpayers", {"leader": ANY, "bureau": ANY}),
    ("GET", "/api/metrics/facts/upload/template", BUREAU),
    ("POST", "/api/metrics/facts/upload", BUREAU),
    ("GET", "/api/metrics/featured/rules", READERS),
    ("GET", "/api/metrics/featured/rules/{theme}", READERS),
    ("PUT", "/api/metrics/featured/rules/{theme}", BUREAU),
    ("GET", "/api/metrics/featured", STATS),
    ("GET", "/api/metrics/featured/buildings/{code}", STATS),
    ("GET", "/api/metrics/goals", READERS),
    ("POST", "/api/metrics/goals", BUREAU),
    ("PATCH", "/api/metrics/goals/{goal_id}", BUREAU),
    ("PATCH", "/api/metrics/goals/{goal_id}/value", BUREAU),
    ("DELETE", "/api/metrics/goals/{goal_id}", BUREAU),
    ("POST", "/api/metrics/goals/sync", BUREAU),
    ("GET", "/api/metrics/warnings/rules", READERS),
    ("PUT", "/api/metrics/warnings/rules", BUREAU),
    ("GET", "/api/metrics/warnings", READERS),
    ("POST", "/api/metrics/warnings/evaluate", BUREAU),
    ("GET", "/api/metrics/warnings/levels", SCREEN_READERS),
    ("GET", "/api/metrics/warnings/{warning_id}", READERS),
    ("POST", "/api/metrics/warnings/{warning_id}/notes", {"bureau": ANY, "street": OWN}),
    ("GET", "/api/metrics/kpis", STATS),
    ("GET", "/api/metrics/streets", STATS),
    ("GET", "/api/metrics/rankings/buildings", STATS),
    ("GET", "/api/metrics/buildings/{code}", STATS),
    ("GET", "/api/metrics/buildings/{code}/enterprises", READERS),
    # 一企一档's tax: as building tax (people only; a street / 楼长 the enterprises of their buildings).
    ("GET", "/api/metrics/enterprises/{credit_code}/figures", READERS),
    ("GET", "/api/metrics/enterprises/tax", READERS),
    ("GET", "/api/metrics/tiers", STATS),
    ("GET", "/api/metrics/dashboard", SCREEN_READERS),
    # ----- 问数 (metrics/ask): answered with the asker's own access --------------------------------
    ("POST", "/api/metrics/ask", STATS),  # for systems too: the statistics bureau asks as it reads
    ("GET", "/api/metrics/ask/history", STATS),
    ("GET", "/api/metrics/ask/unanswered", _all("leader", "bureau")),
    ("GET", "/api/metrics/ask/synonyms", _all("leader", "bureau")),
    ("POST", "/api/metrics/ask/synonyms", BUREAU),
    ("DELETE", "/api/metrics/ask/synonyms/{synonym_id}", BUREAU),
    ("GET", "/api/metrics/stats/aggregates", {"leader": ANY, "bureau": ANY, "stats:read": ANY}),
    ("GET", "/api/metrics/stats/cross-tab", {"leader": ANY, "bureau": ANY, "stats:read": ANY}),
    ("GET", "/api/metrics/stats/aggregates/export", {"leader": ANY, "bureau": ANY, "stats:read": ANY}),
    ("GET", "/api/metrics/stats/cross-tab/export", {"leader": ANY, "bureau": ANY, "stats:read": ANY}),
    # 指标口径: the definitions (no data) for every reader and the statistics bureau's system.
    ("GET", "/api/metrics/definitions", {**_all(*READERS), "stats:read": ANY}),
    ("GET", "/api/metrics/map", SCREEN_READERS),
]

# Not sent by the matrix (each covered elsewhere): sign-in and sign-out change who is signed in.
NOT_SENT = {
    ("POST", "/api/auth/token"): "sign-in (the JWT and audit parts)",
    ("POST", "/api/auth/refresh"): "refresh (the JWT part: refresh-as-access)",
    ("POST", "/api/auth/logout"): "sign-out (the JWT part: revoked)",
}
