from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

import crud.order_item
from auth.deps import CurrentUser, RequireAdmin, RequireUser
from auth.expand import expansions
from auth.ownership import owner_scope
from crud.queries import embed, embed_one
from database import RecordId, SessionDep
from errors import error_responses
from models.order_item import OrderItem
from schemas.order_item import (
    OrderItemCreate,
    OrderItemDetailParams,
    OrderItemListParams,
    OrderItemRead,
    OrderItemUpdate,
)

router = APIRouter(prefix="/order-items", tags=["order-items"])


def get_order_item_or_404(session: Session, order_item_id: int) -> OrderItem:
    order_item = crud.order_item.get_order_item(session, order_item_id)
    if order_item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "OrderItem not found")
    return order_item


@router.post(
    "",
    response_model=OrderItemRead,
    status_code=status.HTTP_201_CREATED,
    response_model_exclude_unset=True,
    responses=error_responses(400, 401),
)
def create_order_item(
    data: OrderItemCreate, session: SessionDep, current_user: CurrentUser
) -> OrderItem:
    return crud.order_item.create_order_item(session, data, owner_scope(current_user))


@router.get(
    "",
    response_model=list[OrderItemRead],
    response_model_exclude_unset=True,
    responses=error_responses(401, 403),
    dependencies=[RequireUser],
)
def list_order_items(
    session: SessionDep,
    params: Annotated[OrderItemListParams, Query()],
    response: Response,
    current_user: CurrentUser,
) -> list[OrderItemRead]:
    expand = expansions(OrderItem, params.expand, current_user)
    order_items, total = crud.order_item.list_order_items(session, params)
    response.headers["X-Total-Count"] = str(total)
    return embed(session, OrderItemRead, order_items, expand)


@router.get(
    "/{order_item_id:int}",
    response_model=OrderItemRead,
    response_model_exclude_unset=True,
    responses=error_responses(401, 403, 404),
    dependencies=[RequireUser],
)
def read_order_item(
    order_item_id: RecordId,
    session: SessionDep,
    params: Annotated[OrderItemDetailParams, Query()],
    current_user: CurrentUser,
) -> OrderItemRead:
    expand = expansions(OrderItem, params.expand, current_user)
    order_item = get_order_item_or_404(session, order_item_id)
    return embed_one(session, OrderItemRead, order_item, expand)


@router.patch(
    "/{order_item_id:int}",
    response_model=OrderItemRead,
    response_model_exclude_unset=True,
    responses=error_responses(400, 401, 403, 404),
    dependencies=[RequireAdmin],
)
def update_order_item(
    order_item_id: RecordId, data: OrderItemUpdate, session: SessionDep
) -> OrderItem:
    order_item = get_order_item_or_404(session, order_item_id)
    return crud.order_item.update_order_item(session, order_item, data)


@router.delete(
    "/{order_item_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404),
    dependencies=[RequireAdmin],
)
def delete_order_item(order_item_id: RecordId, session: SessionDep) -> None:
    order_item = get_order_item_or_404(session, order_item_id)
    crud.order_item.delete_order_item(session, order_item)
