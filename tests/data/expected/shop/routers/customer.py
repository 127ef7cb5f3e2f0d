from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

import crud.customer
from auth.deps import (
    CurrentUser,
    RequireAdmin,
    ensure_admin_sets,
    ensure_can_set_password,
    ensure_can_set_role,
)
from auth.ownership import owner_scope
from database import RecordId, SessionDep
from errors import error_responses
from models.customer import Customer
from schemas.customer import (
    CustomerCreate,
    CustomerListParams,
    CustomerRead,
    CustomerUpdate,
)

router = APIRouter(prefix="/customers", tags=["customers"])


def get_customer_or_404(
    session: Session, customer_id: int, owner_id: int | None = None
) -> Customer:
    # A record the caller does not own answers exactly as an unknown id.
    customer = crud.customer.get_customer(session, customer_id, owner_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Customer not found")
    return customer


@router.post(
    "",
    response_model=CustomerRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 409),
    dependencies=[RequireAdmin],
)
def create_customer(data: CustomerCreate, session: SessionDep) -> Customer:
    return crud.customer.create_customer(session, data)


@router.get("", response_model=list[CustomerRead], responses=error_responses(401))
def list_customers(
    session: SessionDep,
    params: Annotated[CustomerListParams, Query()],
    response: Response,
    current_user: CurrentUser,
) -> list[Customer]:
    customers, total = crud.customer.list_customers(
        session, params, owner_scope(current_user)
    )
    response.headers["X-Total-Count"] = str(total)
    return customers


@router.get(
    "/{customer_id:int}",
    response_model=CustomerRead,
    responses=error_responses(401, 404),
)
def read_customer(
    customer_id: RecordId, session: SessionDep, current_user: CurrentUser
) -> Customer:
    return get_customer_or_404(session, customer_id, owner_scope(current_user))


@router.patch(
    "/{customer_id:int}",
    response_model=CustomerRead,
    responses=error_responses(400, 401, 403, 404, 409),
)
def update_customer(
    customer_id: RecordId,
    data: CustomerUpdate,
    session: SessionDep,
    current_user: CurrentUser,
) -> Customer:
    customer = get_customer_or_404(session, customer_id, owner_scope(current_user))
    if "role" in data.model_fields_set:
        ensure_can_set_role(current_user, data.role)
    if "secret_hash" in data.model_fields_set:
        ensure_can_set_password(current_user)
    ensure_admin_sets(current_user, data, ("loyalty_points",))
    return crud.customer.update_customer(
        session, customer, data, owner_scope(current_user)
    )


@router.delete(
    "/{customer_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 409),
    dependencies=[RequireAdmin],
)
def delete_customer(customer_id: RecordId, session: SessionDep) -> None:
    customer = get_customer_or_404(session, customer_id)
    crud.customer.delete_customer(session, customer)
