from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

import crud.product
from auth.deps import RequireAdmin
from database import RecordId, SessionDep
from errors import error_responses
from models.product import Product
from schemas.product import ProductCreate, ProductListParams, ProductRead, ProductUpdate

router = APIRouter(prefix="/products", tags=["products"])


def get_product_or_404(session: Session, product_id: int) -> Product:
    product = crud.product.get_product(session, product_id)
    if product is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Product not found")
    return product


@router.post(
    "",
    response_model=ProductRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 409),
    dependencies=[RequireAdmin],
)
def create_product(data: ProductCreate, session: SessionDep) -> Product:
    return crud.product.create_product(session, data)


@router.get("", response_model=list[ProductRead])
def list_products(
    session: SessionDep,
    params: Annotated[ProductListParams, Query()],
    response: Response,
) -> list[Product]:
    products, total = crud.product.list_products(session, params)
    response.headers["X-Total-Count"] = str(total)
    return products


@router.get(
    "/{product_id:int}", response_model=ProductRead, responses=error_responses(404)
)
def read_product(product_id: RecordId, session: SessionDep) -> Product:
    return get_product_or_404(session, product_id)


@router.patch(
    "/{product_id:int}",
    response_model=ProductRead,
    responses=error_responses(400, 401, 403, 404, 409),
    dependencies=[RequireAdmin],
)
def update_product(
    product_id: RecordId, data: ProductUpdate, session: SessionDep
) -> Product:
    product = get_product_or_404(session, product_id)
    return crud.product.update_product(session, product, data)
