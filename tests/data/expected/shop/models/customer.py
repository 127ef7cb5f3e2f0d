import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database import Base

if TYPE_CHECKING:
    from models.address import Address
    from models.order import Order


class Role(StrEnum):
    admin = "admin"
    user = "user"


class Customer(Base):
    __tablename__ = "shop_customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(40), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(255))
    birthday: Mapped[dt.date | None]
    loyalty_points: Mapped[int] = mapped_column(default=0)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    api_token: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16), default=Role.user
    )

    addresses: Mapped[list["Address"]] = relationship(
        back_populates="customer", passive_deletes="all"
    )
    orders: Mapped[list["Order"]] = relationship(
        back_populates="customer",
        foreign_keys="[Order.customer_id]",
        passive_deletes="all",
    )
    referred_orders: Mapped[list["Order"]] = relationship(
        back_populates="referrer",
        foreign_keys="[Order.referrer_id]",
        passive_deletes="all",
    )

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin
