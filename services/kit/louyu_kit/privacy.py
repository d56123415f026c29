"""Personal information shown by default only in part (个人信息保护法)."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str | None:
    """``13812341234`` → ``138****1234``; a short number is fully hidden."""
    if not phone:
        return None
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"
