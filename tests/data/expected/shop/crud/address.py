from sqlalchemy.orm import Session

from crud.common import check_references, paginate
from models.address import Address
from models.customer import Customer
from schemas.address import AddressCreate, AddressListParams, AddressUpdate

REFERENCES = {"customer_id": Customer}


def get_address(session: Session, address_id: int) -> Address | None:
    return session.get(Address, address_id)


def list_addresses(
    session: Session, params: AddressListParams, *, owner_id: int | None = None
) -> tuple[list[Address], int]:
    if owner_id is None:
        return paginate(session, Address, params)
    return paginate(session, Address, params, customer_id=owner_id)


def create_address(session: Session, data: AddressCreate) -> Address:
    values = data.model_dump()
    check_references(session, values, REFERENCES)
    address = Address(**values)
    session.add(address)
    session.commit()
    return address


def update_address(session: Session, address: Address, data: AddressUpdate) -> Address:
    changes = data.model_dump(exclude_unset=True)
    check_references(session, changes, REFERENCES)
    for name, value in changes.items():
        setattr(address, name, value)
    session.commit()
    return address


def delete_address(session: Session, address: Address) -> None:
    session.delete(address)
    session.commit()
