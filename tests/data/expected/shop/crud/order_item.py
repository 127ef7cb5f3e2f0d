from sqlalchemy.orm import Session

from crud.common import check_references, delete_record, paginate
from models.order import Order
from models.order_item import OrderItem
from models.product import Product
from schemas.order_item import OrderItemCreate, OrderItemListParams, OrderItemUpdate

REFERENCES = {"order_id": Order, "product_id": Product}


def get_order_item(session: Session, order_item_id: int) -> OrderItem | None:
    return session.get(OrderItem, order_item_id)


def list_order_items(
    session: Session, params: OrderItemListParams
) -> tuple[list[OrderItem], int]:
    return paginate(session, OrderItem, params)


def create_order_item(
    session: Session, data: OrderItemCreate, owner_id: int | None = None
) -> OrderItem:
    """A new order item; with `owner_id`, what it refers to must be that user's."""
    values = data.model_dump()
    check_references(session, values, REFERENCES, owner_id)
    order_item = OrderItem(**values)
    session.add(order_item)
    session.commit()
    return order_item


def update_order_item(
    session: Session,
    order_item: OrderItem,
    data: OrderItemUpdate,
    owner_id: int | None = None,
) -> OrderItem:
    changes = data.model_dump(exclude_unset=True)
    check_references(session, changes, REFERENCES, owner_id)
    for name, value in changes.items():
        setattr(order_item, name, value)
    session.commit()
    return order_item


def delete_order_item(session: Session, order_item: OrderItem) -> None:
    delete_record(session, OrderItem, order_item.id)
