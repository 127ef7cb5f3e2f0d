from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

import crud.address
from auth.deps import CurrentUser
from auth.expand import expansions
from auth.ownership import ensure_owner_kept, owner_of_new_record, owner_scope
from crud.queries import embed, embed_one
from database import RecordId, SessionDep
from errors import error_responses
from models.address import Address
from schemas.address import (
    AddressCreate,
    AddressDetailParams,
    AddressListParams,
    AddressRead,
    AddressUpdate,
)

router = APIRouter(prefix="/addresses", tags=["addresses"])


def get_address_or_404(
    session: Session, address_id: int, owner_id: int | None = None
) -> Address:
    # A record the caller does not own answers exactly as an unknown id.
    address = crud.address.get_address(session, address_id, owner_id)
    if address is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Address not found")
    return address


@router.post(
    "",
    response_model=AddressRead,
    status_code=status.HTTP_201_CREATED,
    response_model_exclude_unset=True,
    responses=error_responses(400, 401, 403),
)
def create_address(
    data: AddressCreate, session: SessionDep, current_user: CurrentUser
) -> Address:
    data.customer_id = owner_of_new_record(
        current_user, data.customer_id, "customer_id"
    )
    return crud.address.create_address(session, data, owner_scope(current_user))


@router.get(
    "",
    response_model=list[AddressRead],
    response_model_exclude_unset=True,
    responses=error_responses(401, 403),
)
def list_addresses(
    session: SessionDep,
    params: Annotated[AddressListParams, Query()],
    response: Response,
    current_user: CurrentUser,
) -> list[AddressRead]:
    expand = expansions(Address, params.expand, current_user)
    addresses, total = crud.address.list_addresses(
        session, params, owner_scope(current_user)
    )
    response.headers["X-Total-Count"] = str(total)
    return embed(session, AddressRead, addresses, expand)


@router.get(
    "/{address_id:int}",
    response_model=AddressRead,
    response_model_exclude_unset=True,
    responses=error_responses(401, 403, 404),
)
def read_address(
    address_id: RecordId,
    session: SessionDep,
    params: Annotated[AddressDetailParams, Query()],
    current_user: CurrentUser,
) -> AddressRead:
    expand = expansions(Address, params.expand, current_user)
    address = get_address_or_404(session, address_id, owner_scope(current_user))
    return embed_one(session, AddressRead, address, expand)


@router.patch(
    "/{address_id:int}",
    response_model=AddressRead,
    response_model_exclude_unset=True,
    responses=error_responses(400, 401, 403, 404),
)
def update_address(
    address_id: RecordId,
    data: AddressUpdate,
    session: SessionDep,
    current_user: CurrentUser,
) -> Address:
    address = get_address_or_404(session, address_id, owner_scope(current_user))
    if "customer_id" in data.model_fields_set:
        ensure_owner_kept(
            session, current_user, "customer_id", data.customer_id, address.customer_id
        )
    return crud.address.update_address(
        session, address, data, owner_scope(current_user)
    )


@router.delete(
    "/{address_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 404),
)
def delete_address(
    address_id: RecordId, session: SessionDep, current_user: CurrentUser
) -> None:
    address = get_address_or_404(session, address_id, owner_scope(current_user))
    crud.address.delete_address(session, address)
