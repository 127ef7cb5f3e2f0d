from sqlalchemy import select
from sqlalchemy.orm import Session

from crud.common import check_references, delete_record, paginate
from crud.ownership import address_owned_by
from models.address import Address
from models.customer import Customer
from schemas.address import AddressCreate, AddressListParams, AddressUpdate

REFERENCES = {"customer_id": Customer}


def get_address(
    session: Session, address_id: int, owner_id: int | None = None
) -> Address | None:
    """The address with this id; with `owner_id`, only if that user owns it."""
    if owner_id is None:
        return session.get(Address, address_id)
    query = select(Address).where(Address.id == address_id, address_owned_by(owner_id))
    return session.scalar(query)


def list_addresses(
    session: Session, params: AddressListParams, owner_id: int | None = None
) -> tuple[list[Address], int]:
    """A page of addresses; with `owner_id`, only that user's."""
    if owner_id is None:
        return paginate(session, Address, params)
    return paginate(session, Address, params, address_owned_by(owner_id))


def create_address(
    session: Session, data: AddressCreate, owner_id: int | None = None
) -> Address:
    """A new address; with `owner_id`, what it refers to must be that user's."""
    values = data.model_dump()
    check_references(session, values, REFERENCES, owner_id)
    address = Address(**values)
    session.add(address)
    session.commit()
    return address


def update_address(
    session: Session,
    address: Address,
    data: AddressUpdate,
    owner_id: int | None = None,
) -> Address:
    changes = data.model_dump(exclude_unset=True)
    check_references(session, changes, REFERENCES, owner_id)
    for name, value in changes.items():
        setattr(address, name, value)
    session.commit()
    return address


def delete_address(session: Session, address: Address) -> None:
    delete_record(session, Address, address.id)
