from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.security import hash_password
from crud.common import delete_record, paginate
from crud.ownership import customer_owned_by
from models.customer import Customer, Role
from models.order import Order
from schemas.customer import (
    CustomerCreate,
    CustomerListParams,
    CustomerMeUpdate,
    CustomerUpdate,
)

# The foreign keys that refuse this record's deletion while they point at it.
REFERRED_BY = (Order.customer_id,)


def get_customer(
    session: Session, customer_id: int, owner_id: int | None = None
) -> Customer | None:
    """The customer with this id; with `owner_id`, only if that user owns it."""
    if owner_id is None:
        return session.get(Customer, customer_id)
    query = select(Customer).where(
        Customer.id == customer_id, customer_owned_by(owner_id)
    )
    return session.scalar(query)


def list_customers(
    session: Session, params: CustomerListParams, owner_id: int | None = None
) -> tuple[list[Customer], int]:
    """A page of customers; with `owner_id`, only that user's."""
    if owner_id is None:
        return paginate(session, Customer, params)
    return paginate(session, Customer, params, customer_owned_by(owner_id))


def create_customer(
    session: Session, data: CustomerCreate, owner_id: int | None = None
) -> Customer:
    """A new customer; with `owner_id`, what it refers to must be that user's."""
    values = data.model_dump()
    values["role"] = data.role or Role.user
    values["secret_hash"] = hash_password(values["secret_hash"])
    customer = Customer(**values)
    session.add(customer)
    session.commit()
    return customer


def update_customer(
    session: Session,
    customer: Customer,
    data: CustomerUpdate | CustomerMeUpdate,
    owner_id: int | None = None,
) -> Customer:
    changes = data.model_dump(exclude_unset=True)
    if "secret_hash" in changes:
        changes["secret_hash"] = hash_password(changes["secret_hash"])
    for name, value in changes.items():
        setattr(customer, name, value)
    session.commit()
    return customer


def delete_customer(session: Session, customer: Customer) -> None:
    delete_record(session, Customer, customer.id, REFERRED_BY)
