from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

import crud.order
from auth.deps import CurrentUser, RequireAdmin, ensure_admin_sets
from auth.expand import expansions
from auth.ownership import owner_of_new_record, owner_scope
from crud.queries import embed, embed_one
from database import RecordId, SessionDep
from errors import error_responses
from models.order import Order
from schemas.order import (
    OrderCreate,
    OrderDetailParams,
    OrderListParams,
    OrderRead,
    OrderUpdate,
)

router = APIRouter(prefix="/orders", tags=["orders"])


def get_order_or_404(
    session: Session, order_id: int, owner_id: int | None = None
) -> Order:
    # A record the caller does not own answers exactly as an unknown id.
    order = crud.order.get_order(session, order_id, owner_id)
    if order is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Order not found")
    return order


@router.post(
    "",
    response_model=OrderRead,
    status_code=status.HTTP_201_CREATED,
    response_model_exclude_unset=True,
    responses=error_responses(400, 401, 403),
)
def create_order(
    data: OrderCreate, session: SessionDep, current_user: CurrentUser
) -> Order:
    ensure_admin_sets(current_user, data, ("status",))
    data.customer_id = owner_of_new_record(
        current_user, data.customer_id, "customer_id"
    )
    return crud.order.create_order(session, data, owner_scope(current_user))


@router.get(
    "",
    response_model=list[OrderRead],
    response_model_exclude_unset=True,
    responses=error_responses(401, 403),
)
def list_orders(
    session: SessionDep,
    params: Annotated[OrderListParams, Query()],
    response: Response,
    current_user: CurrentUser,
) -> list[OrderRead]:
    expand = expansions(Order, params.expand, current_user)
    orders, total = crud.order.list_orders(session, params, owner_scope(current_user))
    response.headers["X-Total-Count"] = str(total)
    return embed(session, OrderRead, orders, expand)


@router.get(
    "/{order_id:int}",
    response_model=OrderRead,
    response_model_exclude_unset=True,
    responses=error_responses(401, 403, 404),
)
def read_order(
    order_id: RecordId,
    session: SessionDep,
    params: Annotated[OrderDetailParams, Query()],
    current_user: CurrentUser,
) -> OrderRead:
    expand = expansions(Order, params.expand, current_user)
    order = get_order_or_404(session, order_id, owner_scope(current_user))
    return embed_one(session, OrderRead, order, expand)


@router.patch(
    "/{order_id:int}",
    response_model=OrderRead,
    response_model_exclude_unset=True,
    responses=error_responses(400, 401, 403, 404),
    dependencies=[RequireAdmin],
)
def update_order(order_id: RecordId, data: OrderUpdate, session: SessionDep) -> Order:
    order = get_order_or_404(session, order_id)
    return crud.order.update_order(session, order, data)


@router.delete(
    "/{order_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404),
    dependencies=[RequireAdmin],
)
def delete_order(order_id: RecordId, session: SessionDep) -> None:
    order = get_order_or_404(session, order_id)
    crud.order.delete_order(session, order)
