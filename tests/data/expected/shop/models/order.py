import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, column
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database import Base, utcnow

if TYPE_CHECKING:
    from models.address import Address
    from models.customer import Customer
    from models.order_item import OrderItem


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            column("status").in_(["new", "paid", "shipped", "cancelled"]),
            name="status_values_c6d49315",
        ),
        Base.__table_args__,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(64), default="new")
    note: Mapped[str | None] = mapped_column(Text)
    shipped_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("shop_customers.id", ondelete="RESTRICT"), index=True
    )
    referrer_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_customers.id", ondelete="SET NULL"), index=True
    )
    shipping_address_id: Mapped[int | None] = mapped_column(
        ForeignKey("addresses.id", ondelete="SET NULL"), index=True
    )

    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order", passive_deletes="all"
    )
    customer: Mapped["Customer"] = relationship(
        back_populates="orders", foreign_keys=[customer_id]
    )
    referrer: Mapped["Customer | None"] = relationship(
        back_populates="referred_orders", foreign_keys=[referrer_id]
    )
    shipping_address: Mapped["Address | None"] = relationship(back_populates="orders")
