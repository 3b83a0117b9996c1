"""The GraphQL documents the Shopify adapter sends (Admin API 2025-01).

Page sizes keep each query's *requested* cost under Shopify's single-query limit of 1000
points (objects cost 1, a connection 2 + ``first`` × its node's cost): an order node here
costs 12 + 3 × ``LINES_PER_ORDER`` + ``FULFILLMENT_ORDERS_PER_ORDER``, so a page of
``ORDERS_PER_PAGE`` orders asks for 2 + 10 × 77 = 772 points. (50 orders with 100 lines
each would ask for about 16,000 and be refused.) An order with more lines than fit gets
the rest with ``ORDER_LINES``.
"""

from __future__ import annotations

ORDERS_PER_PAGE = 10
LINES_PER_ORDER = 20
FULFILLMENT_ORDERS_PER_ORDER = 5
MORE_LINES_PER_PAGE = 100
VARIANTS_PER_QUERY = 50  # SKU look-ups per query (aliases), 4 points each
QUANTITIES_PER_MUTATION = 250  # Shopify's input array limit

# Requested costs (points), used to pace the first use of each query.
ORDERS_COST = 2 + ORDERS_PER_PAGE * (12 + 3 * LINES_PER_ORDER + FULFILLMENT_ORDERS_PER_ORDER)
ORDER_LINES_COST = 1 + 2 + 3 * MORE_LINES_PER_PAGE
ORDER_FULFILMENTS_COST = 1 + (2 + 3 * FULFILLMENT_ORDERS_PER_ORDER) + (2 + 10 * (1 + 2 + 25))
VARIANT_COST = 4

_LINE_FIELDS = """
      nodes { id sku quantity currentQuantity name requiresShipping
              originalUnitPriceSet { shopMoney { amount currencyCode } } }
      pageInfo { hasNextPage endCursor }"""

ORDERS = f"""
query Orders($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      id name createdAt updatedAt cancelledAt displayFinancialStatus displayFulfillmentStatus
      email phone note currencyCode
      totalPriceSet {{ shopMoney {{ amount currencyCode }} }}
      totalShippingPriceSet {{ shopMoney {{ amount currencyCode }} }}
      shippingAddress {{ name company address1 address2 city provinceCode zip countryCodeV2 phone }}
      billingAddress {{ countryCodeV2 }}
      shippingLine {{ title }}
      lineItems(first: {LINES_PER_ORDER}) {{{_LINE_FIELDS}
      }}
      fulfillmentOrders(first: {FULFILLMENT_ORDERS_PER_ORDER}) {{ nodes {{ id status }} }}
    }}
  }}
}}"""

ORDER_LINES = f"""
query OrderLines($id: ID!, $after: String) {{
  order(id: $id) {{
    id
    lineItems(first: {MORE_LINES_PER_PAGE}, after: $after) {{{_LINE_FIELDS}
    }}
  }}
}}"""

ORDER_FULFILMENTS = f"""
query OrderFulfilments($id: ID!) {{
  order(id: $id) {{
    id name cancelledAt
    fulfillmentOrders(first: {FULFILLMENT_ORDERS_PER_ORDER}) {{
      nodes {{ id status assignedLocation {{ location {{ id }} }} }}
    }}
    fulfillments(first: 10) {{ id status trackingInfo(first: 25) {{ number company url }} }}
  }}
}}"""

FULFILLMENT_ORDER_LINES = 50  # line items read per fulfillment order for a partial shipment

# A split order's part ships some line items only: they are matched to the fulfillment orders'
# line items (``lineItem { id }`` is the order's LineItem, what our lines keep as their
# ``external_line_id``) and sent with their quantities. Requested cost: 1 + (2 + 5 × (1 + 2 +
# (2 + 50 × 2))) + (2 + 10 × (1 + 2 + 25)) = 810 points.
ORDER_FULFILMENT_LINES = f"""
query OrderFulfilmentLines($id: ID!) {{
  order(id: $id) {{
    id name cancelledAt
    fulfillmentOrders(first: {FULFILLMENT_ORDERS_PER_ORDER}) {{
      nodes {{ id status assignedLocation {{ location {{ id }} }}
               lineItems(first: {FULFILLMENT_ORDER_LINES}) {{ nodes {{ id remainingQuantity lineItem {{ id }} }} }} }}
    }}
    fulfillments(first: 10) {{ id status trackingInfo(first: 25) {{ number company url }} }}
  }}
}}"""
ORDER_FULFILMENT_LINES_COST = 1 + (2 + FULFILLMENT_ORDERS_PER_ORDER * (1 + 2 + (2 + FULFILLMENT_ORDER_LINES * 2))) \
    + (2 + 10 * (1 + 2 + 25))

FULFILLMENT_CREATE = """
mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo(first: 20) { number company url } }
    userErrors { field message }
  }
}"""

FULFILLMENT_CANCEL = """
mutation FulfillmentCancel($id: ID!) {
  fulfillmentCancel(id: $id) {
    fulfillment { id status }
    userErrors { field message }
  }
}"""

INVENTORY_SET = """
mutation InventorySet($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { createdAt reason changes { name delta } }
    userErrors { field message code }
  }
}"""


def variants_by_sku(count: int) -> str:
    """A query with ``count`` aliased look-ups ``v0`` … taking ``$q0`` … (``sku:"…"``)."""
    params = ", ".join(f"$q{i}: String!" for i in range(count))
    fields = "\n".join(f"  v{i}: productVariants(first: 1, query: $q{i}) "
                       "{ nodes { id sku inventoryItem { id } } }" for i in range(count))
    return f"query VariantsBySku({params}) {{\n{fields}\n}}"


def sku_search(sku: str) -> str:
    """Shopify search syntax for exactly this SKU (quoted, quotes and backslashes escaped)."""
    escaped = sku.replace("\\", "\\\\").replace('"', '\\"')
    return f'sku:"{escaped}"'
