"""``/api/auth/users`` and ``/api/auth/clients``: administration, for the admin role only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.accounts import service
from gateway.accounts.models import User
from gateway.accounts.schemas import (
    ClientCreate,
    ClientRead,
    ClientUpdate,
    ClientWithSecret,
    PasswordReset,
    UserCreate,
    UserRead,
    UserUpdate,
)
from gateway.audit.notes import note
from louyu_kit.auth import Principal, allow
from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep
from louyu_kit.privacy import mask_phone

router = APIRouter(tags=["账号管理"])
Admin = Annotated[Principal, allow("admin")]


def _read(user: User, locks: dict) -> UserRead:
    data = UserRead.model_validate(user)
    return data.model_copy(update={"phone": mask_phone(user.phone), "locked_until": locks.get(user.username)})


@router.get("/users", response_model=Page[UserRead])
def list_users(
    session: SessionDep,
    _admin: Admin,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=50, description="按登录名或姓名搜索")] = None,
    role: Annotated[str | None, Query(max_length=20, description="按角色筛选")] = None,
    org_unit: Annotated[str | None, Query(max_length=100, description="按所属单位筛选（单位编码，如 fgj）")] = None,
) -> Page[UserRead]:
    """账号列表。"""
    rows, total = service.list_users(session, params=page, q=q, role=role, org_unit=org_unit)
    locks = service.locks_for(session, [u.username for u in rows])
    return Page(items=[_read(u, locks) for u in rows], total=total, page=page.page, page_size=page.page_size)


@router.post("/users", response_model=UserRead, status_code=201)
def create_user(request: Request, data: UserCreate, session: SessionDep, _admin: Admin) -> UserRead:
    """新建账号（首次登录须修改初始密码）。"""
    note(request, action="user.create", obj=data.username.lower())
    user = service.create_user(session, data=data, settings=request.app.state.settings)
    return _read(user, {})


@router.get("/users/{username}", response_model=UserRead)
def get_user(username: str, session: SessionDep, _admin: Admin) -> UserRead:
    """查看账号。"""
    user = service.get_user(session, username=username)
    return _read(user, service.locks_for(session, [user.username]))


@router.patch("/users/{username}", response_model=UserRead)
def update_user(request: Request, username: str, data: UserUpdate, session: SessionDep, admin: Admin) -> UserRead:
    """修改账号（角色、街道、单位变化或停用时，该账号已登录的会话立即失效）。"""
    note(request, action="user.update", obj=username, detail=",".join(sorted(data.model_fields_set)))
    user = service.get_user(session, username=username)
    service.update_user(session, user=user, data=data, actor=admin.sub, settings=request.app.state.settings)
    return _read(user, service.locks_for(session, [user.username]))


@router.post("/users/{username}/password", status_code=204)
def reset_password(
    request: Request, username: str, data: PasswordReset, session: SessionDep, _admin: Admin
) -> Response:
    """重置密码（用户下次登录须修改；其会话立即失效）。"""
    note(request, action="user.reset_password", obj=username)
    user = service.get_user(session, username=username)
    service.reset_password(session, user=user, new_password=data.new_password, settings=request.app.state.settings)
    return Response(status_code=204)


@router.post("/users/{username}/unlock", status_code=204)
def unlock_user(request: Request, username: str, session: SessionDep, _admin: Admin) -> Response:
    """解除因登录失败造成的临时锁定。"""
    note(request, action="user.unlock", obj=username)
    service.unlock(session, user=service.get_user(session, username=username))
    return Response(status_code=204)


@router.get("/clients", response_model=list[ClientRead])
def list_clients(session: SessionDep, _admin: Admin) -> list[ClientRead]:
    """机器客户端（税务局、统计局等系统）列表。"""
    return [ClientRead.model_validate(c) for c in service.list_clients(session)]


@router.post("/clients", response_model=ClientWithSecret, status_code=201)
def create_client(request: Request, data: ClientCreate, session: SessionDep, _admin: Admin) -> ClientWithSecret:
    """新建机器客户端；密钥只在此次返回。"""
    client, secret = service.create_client(session, data=data)
    note(request, action="client.create", obj=client.client_id, detail=" ".join(client.scopes))
    return ClientWithSecret(**ClientRead.model_validate(client).model_dump(), client_secret=secret)


@router.get("/clients/{client_id}", response_model=ClientRead)
def get_client(client_id: str, session: SessionDep, _admin: Admin) -> ClientRead:
    """查看机器客户端。"""
    return ClientRead.model_validate(service.get_client(session, client_id=client_id))


@router.patch("/clients/{client_id}", response_model=ClientRead)
def update_client(
    request: Request, client_id: str, data: ClientUpdate, session: SessionDep, _admin: Admin
) -> ClientRead:
    """修改机器客户端（缩小权限或停用时，已签发令牌立即失效）。"""
    note(request, action="client.update", obj=client_id)
    client = service.get_client(session, client_id=client_id)
    return ClientRead.model_validate(
        service.update_client(session, client=client, data=data, settings=request.app.state.settings)
    )


@router.post("/clients/{client_id}/rotate-secret", response_model=ClientWithSecret)
def rotate_secret(request: Request, client_id: str, session: SessionDep, _admin: Admin) -> ClientWithSecret:
    """更换客户端密钥：旧密钥与已签发令牌立即失效；新密钥只显示这一次。"""
    note(request, action="client.rotate_secret", obj=client_id)
    client = service.get_client(session, client_id=client_id)
    secret = service.rotate_secret(session, client=client, settings=request.app.state.settings)
    return ClientWithSecret(**ClientRead.model_validate(client).model_dump(), client_secret=secret)


@router.delete("/clients/{client_id}", status_code=204)
def revoke_client(request: Request, client_id: str, session: SessionDep, _admin: Admin) -> Response:
    """吊销机器客户端（记录保留，不能再获取令牌）。"""
    note(request, action="client.revoke", obj=client_id)
    service.revoke_client(
        session, client=service.get_client(session, client_id=client_id), settings=request.app.state.settings
    )
    return Response(status_code=204)
