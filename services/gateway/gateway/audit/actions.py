"""What the audited actions are called in Chinese (the log viewer and its export)."""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "login": "登录",
    "login_failed": "登录失败",
    "account_locked": "账号锁定",
    "login_throttled": "登录被限流（同一地址失败过多）",
    "refresh": "续期会话",
    "refresh_failed": "续期会话失败",
    "logout": "退出登录",
    "password.change": "修改本人密码",
    "client_login": "客户端获取令牌",
    "client_login_failed": "客户端获取令牌失败",
    "user.create": "新建账号",
    "user.update": "修改账号",
    "user.reset_password": "重置密码",
    "user.unlock": "解除锁定",
    "auditor.create": "命令行新建安全审计员",
    "auditor.reset_password": "命令行重置安全审计员密码",
    "client.create": "新建机器客户端",
    "client.update": "修改机器客户端",
    "client.rotate_secret": "更换客户端密钥",
    "client.revoke": "吊销机器客户端",
    "phone.reveal": "查看完整手机号",
    "deputies.reveal": "查看人大代表姓名",
    "enterprise.check_override": "确认校验不通过的信用代码",
    "occupancy_proposal.create": "提交入驻申请",
    "occupancy_proposal.confirm": "确认入驻申请",
    "occupancy_proposal.reject": "驳回入驻申请",
    "facts.batch": "报送税收数据",
    "facts.upload": "上传税收数据文件",
    "export.buildings": "导出楼宇",
    "export.spaces": "导出空间",
    "export.enterprises": "导出企业",
    "export.occupancies": "导出入驻记录",
    "export.available_spaces": "导出可用空间",
    "export.stats": "导出统计汇总",
    "export.bulletin": "导出工作简报",
    "export.report": "导出办理情况报告",
    "audit.export": "导出审计日志",
    "read_refused": "拒绝访问（未登录或无权限）",
    "read_not_found": "查看不存在或无权查看的内容",
    "admission.shed": "系统繁忙拒绝的请求（按时段汇总）",
}

# Writes that no route named: the gateway records them by method.
_HTTP_LABELS = {"post": "提交", "put": "保存", "patch": "修改", "delete": "删除"}


def action_label(action: str) -> str:
    """``user.create`` → 新建账号; an action without a name of its own is described by its kind."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    kind, _, rest = action.partition(".")
    if kind == "http" and rest in _HTTP_LABELS:
        return f"其他操作（{_HTTP_LABELS[rest]}）"
    if kind == "export":
        return "导出数据"
    return action


# Filters on a whole family of actions (the filter matches by prefix when it ends with ".").
ACTION_GROUPS: dict[str, str] = {
    "user.": "账号管理（全部）",
    "client.": "机器客户端管理（全部）",
    "export.": "数据导出（全部）",
    "facts.": "税收数据报送（全部）",
    "http.": "其他操作（全部）",
}


def action_options() -> list[dict[str, str]]:
    """The actions the log viewer offers as filters: the families first, then each action."""
    groups = [{"value": code, "label": label} for code, label in ACTION_GROUPS.items()]
    named = [{"value": code, "label": label} for code, label in ACTION_LABELS.items()]
    generic = [{"value": f"http.{m}", "label": action_label(f"http.{m}")} for m in _HTTP_LABELS]
    return groups + named + generic
