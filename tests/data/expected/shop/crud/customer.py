from sqlalchemy.orm import Session

from auth.security import hash_password
from crud.common import paginate
from models.customer import Customer, Role
from schemas.customer import (
    CustomerCreate,
    CustomerListParams,
    CustomerMeUpdate,
    CustomerUpdate,
)


def get_customer(session: Session, customer_id: int) -> Customer | None:
    return session.get(Customer, customer_id)


def list_customers(
    session: Session, params: CustomerListParams, *, owner_id: int | None = None
) -> tuple[list[Customer], int]:
    if owner_id is None:
        return paginate(session, Customer, params)
    return paginate(session, Customer, params, id=owner_id)


def create_customer(session: Session, data: CustomerCreate) -> Customer:
    values = data.model_dump()
    values["role"] = data.role or Role.user
    values["secret_hash"] = hash_password(values["secret_hash"])
    customer = Customer(**values)
    session.add(customer)
    session.commit()
    return customer


def update_customer(
    session: Session, customer: Customer, data: CustomerUpdate | CustomerMeUpdate
) -> Customer:
    changes = data.model_dump(exclude_unset=True)
    if "secret_hash" in changes:
        changes["secret_hash"] = hash_password(changes["secret_hash"])
    for name, value in changes.items():
        setattr(customer, name, value)
    session.commit()
    return customer


def delete_customer(session: Session, customer: Customer) -> None:
    session.delete(customer)
    session.commit()
