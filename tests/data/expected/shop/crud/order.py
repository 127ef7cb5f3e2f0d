from sqlalchemy import select
from sqlalchemy.orm import Session

from crud.common import check_references, delete_record, paginate
from crud.ownership import order_owned_by
from models.address import Address
from models.customer import Customer
from models.order import Order
from schemas.order import OrderCreate, OrderListParams, OrderUpdate

REFERENCES = {
    "customer_id": Customer,
    "referrer_id": Customer,
    "shipping_address_id": Address,
}


def get_order(
    session: Session, order_id: int, owner_id: int | None = None
) -> Order | None:
    """The order with this id; with `owner_id`, only if that user owns it."""
    if owner_id is None:
        return session.get(Order, order_id)
    query = select(Order).where(Order.id == order_id, order_owned_by(owner_id))
    return session.scalar(query)


def list_orders(
    session: Session, params: OrderListParams, owner_id: int | None = None
) -> tuple[list[Order], int]:
    """A page of orders; with `owner_id`, only that user's."""
    if owner_id is None:
        return paginate(session, Order, params)
    return paginate(session, Order, params, order_owned_by(owner_id))


def create_order(
    session: Session, data: OrderCreate, owner_id: int | None = None
) -> Order:
    """A new order; with `owner_id`, what it refers to must be that user's."""
    values = data.model_dump()
    check_references(session, values, REFERENCES, owner_id)
    order = Order(**values)
    session.add(order)
    session.commit()
    return order


def update_order(
    session: Session,
    order: Order,
    data: OrderUpdate,
    owner_id: int | None = None,
) -> Order:
    changes = data.model_dump(exclude_unset=True)
    check_references(session, changes, REFERENCES, owner_id)
    for name, value in changes.items():
        setattr(order, name, value)
    session.commit()
    return order


def delete_order(session: Session, order: Order) -> None:
    delete_record(session, Order, order.id)
