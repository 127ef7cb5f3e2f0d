from sqlalchemy.orm import Session

from crud.common import check_references, paginate
from models.address import Address
from models.customer import Customer
from models.order import Order
from schemas.order import OrderCreate, OrderListParams, OrderUpdate

REFERENCES = {
    "customer_id": Customer,
    "referrer_id": Customer,
    "shipping_address_id": Address,
}


def get_order(session: Session, order_id: int) -> Order | None:
    return session.get(Order, order_id)


def list_orders(
    session: Session, params: OrderListParams, *, owner_id: int | None = None
) -> tuple[list[Order], int]:
    if owner_id is None:
        return paginate(session, Order, params)
    return paginate(session, Order, params, customer_id=owner_id)


def create_order(session: Session, data: OrderCreate) -> Order:
    values = data.model_dump()
    check_references(session, values, REFERENCES)
    order = Order(**values)
    session.add(order)
    session.commit()
    return order


def update_order(session: Session, order: Order, data: OrderUpdate) -> Order:
    changes = data.model_dump(exclude_unset=True)
    check_references(session, changes, REFERENCES)
    for name, value in changes.items():
        setattr(order, name, value)
    session.commit()
    return order


def delete_order(session: Session, order: Order) -> None:
    session.delete(order)
    session.commit()
