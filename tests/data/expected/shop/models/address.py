from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database import Base

if TYPE_CHECKING:
    from models.customer import Customer
    from models.order import Order


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    line1: Mapped[str] = mapped_column(String(255))
    city: Mapped[str] = mapped_column(String(255))
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("shop_customers.id", ondelete="CASCADE"), index=True
    )

    orders: Mapped[list["Order"]] = relationship(
        back_populates="shipping_address", passive_deletes="all"
    )
    customer: Mapped["Customer"] = relationship(back_populates="addresses")
