"""Sales channels (shops) behind the ``ShopChannel`` port, and the outbox worker.

``ports`` is the contract: what an order looks like when it comes in from anywhere
(``IncomingOrder``, shared by CSV files, shop APIs and webhooks) and what a shop adapter
must do. Adapters (``shopify``, ``woocommerce``) speak HTTP and know nothing of the database;
the services (``services.integrations``, ``services.orders.intake``) write what they fetch
and feed them what the outbox holds.
"""
