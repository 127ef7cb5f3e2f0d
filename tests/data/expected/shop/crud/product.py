from sqlalchemy.orm import Session

from crud.common import delete_record, paginate
from models.order_item import OrderItem
from models.product import Product
from schemas.product import ProductCreate, ProductListParams, ProductUpdate

# What ?q= searches: a case-insensitive substring of any of these.
SEARCH = (Product.name, Product.sku)
# The foreign keys that refuse this record's deletion while they point at it.
REFERRED_BY = (OrderItem.product_id,)


def get_product(session: Session, product_id: int) -> Product | None:
    return session.get(Product, product_id)


def list_products(
    session: Session, params: ProductListParams
) -> tuple[list[Product], int]:
    return paginate(session, Product, params, search=SEARCH)


def create_product(session: Session, data: ProductCreate) -> Product:
    values = data.model_dump()
    product = Product(**values)
    session.add(product)
    session.commit()
    return product


def update_product(
    session: Session,
    product: Product,
    data: ProductUpdate,
) -> Product:
    changes = data.model_dump(exclude_unset=True)
    for name, value in changes.items():
        setattr(product, name, value)
    session.commit()
    return product


def delete_product(session: Session, product: Product) -> None:
    delete_record(session, Product, product.id, REFERRED_BY)
