"""Who may do what: the one table of role rules.

Roles are cumulative: a manager may do all a packer may, an owner all a manager may.
``allows`` is the only place a role is compared with a permission; use cases reach it
through ``fulfilstation.services.actor.authorize`` (never a role string compared elsewhere).
Pure: no I/O.
"""

from __future__ import annotations

import enum

from fulfilstation.domain.enums import Role


class Permission(enum.StrEnum):
    """Something a use case may require of the signed-in actor."""

    PACK = "pack"  # start, scan, close packages, ship, reprint, cancel one's own pack
    VOID = "void"  # void a shipment
    ACCEPT_WEIGHT = "accept-weight"  # ship a parcel weighing outside its expected range
    CLOSE_MANIFEST = "close-manifest"  # close a carrier's day, record its scan form
    CHANGE_SERVICE = "change-service"  # choose an order's carrier service
    MANAGE_ORDERS = "manage-orders"  # hold, release, cancel orders
    EDIT_ADDRESS = "edit-address"  # change an order's ship-to address
    DEVICE_SETTINGS = "device-settings"  # a station's scanner, scale and printers
    MANAGE_USERS = "manage-users"  # add, edit, deactivate users; PINs, badges, job secrets
    SITE_SETTINGS = "site-settings"  # ship-from address, units, weight tolerance
    CARRIERS = "carriers"  # carriers, services, accounts, number ranges, API keys, rate tables
    RECEIVE = "receive"  # scan goods in on a receipt and close it; print product and bin labels
    MOVE_STOCK = "move-stock"  # move units from one bin to another
    EDIT_CATALOG = "edit-catalog"  # products, barcodes, kits; import products
    ADJUST_STOCK = "adjust-stock"  # correct a stock figure (with a reason)
    PURCHASE_ORDERS = "purchase-orders"  # create, import and cancel purchase orders
    EDIT_BINS = "edit-bins"  # lay out bins: add, edit, deactivate, import
    IMPORT_ORDERS = "import-orders"  # import order files, save column mappings, re-check held orders
    SYNC_CHANNELS = "sync-channels"  # fetch orders from the shops, deliver and retry pushes, reconcile stock
    CONFIGURE_CHANNELS = "configure-channels"  # add and edit sales channels, their API keys, stock buffers
    PICK = "pick"  # create pick lists, confirm picks by scanning bin then item, record a short pick
    MANAGE_PICKING = "manage-picking"  # plan waves, cancel a pick list
    RECEIVE_RETURNS = "receive-returns"  # receive an RMA and grade each unit back into stock
    CREATE_RMA = "create-rma"  # authorise a return (an RMA) and its return label; clear a refund
    COUNT = "count"  # count a bin on a cycle count (blind)
    MANAGE_COUNTS = "manage-counts"  # plan cycle counts, approve variances, ABC classes
    REPLENISH = "replenish"  # the reorder report turned into purchase orders
    SLOTTING = "slotting"  # propose, accept and reject slotting moves
    VIEW_REPORTS = "view-reports"  # the dashboard and the reports (KPIs, packers, costs, inventory)


_PACKER = frozenset({Permission.PACK, Permission.RECEIVE, Permission.MOVE_STOCK, Permission.PICK,
                     Permission.RECEIVE_RETURNS, Permission.COUNT})
_MANAGER = _PACKER | {Permission.VOID, Permission.ACCEPT_WEIGHT, Permission.CLOSE_MANIFEST,
                      Permission.CHANGE_SERVICE, Permission.MANAGE_ORDERS, Permission.EDIT_ADDRESS,
                      Permission.DEVICE_SETTINGS, Permission.EDIT_CATALOG, Permission.ADJUST_STOCK,
                      Permission.PURCHASE_ORDERS, Permission.IMPORT_ORDERS, Permission.SYNC_CHANNELS,
                      Permission.MANAGE_PICKING, Permission.CREATE_RMA, Permission.MANAGE_COUNTS,
                      Permission.REPLENISH, Permission.SLOTTING, Permission.VIEW_REPORTS}
_OWNER = _MANAGER | {Permission.MANAGE_USERS, Permission.SITE_SETTINGS, Permission.CARRIERS, Permission.EDIT_BINS,
                      Permission.CONFIGURE_CHANNELS}

PERMISSIONS: dict[Role, frozenset[Permission]] = {Role.PACKER: _PACKER, Role.MANAGER: frozenset(_MANAGER),
                                                  Role.OWNER: frozenset(_OWNER)}
ROLE_NAMES = {Role.PACKER: "a packer", Role.MANAGER: "a manager", Role.OWNER: "an owner"}


def allows(role: Role | str, permission: Permission) -> bool:
    """Whether ``role`` may do what ``permission`` names (an unknown role may do nothing)."""
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def least_role(permission: Permission) -> Role:
    """The lowest role that holds ``permission``."""
    return next(role for role in (Role.PACKER, Role.MANAGER, Role.OWNER) if permission in PERMISSIONS[role])


def who_may(permission: Permission) -> str:
    """In words, for refusals: ``"a manager or an owner"``, ``"an owner"``, ``"anyone signed in"``."""
    least = least_role(permission)
    if least is Role.PACKER:
        return "anyone signed in"
    return "an owner" if least is Role.OWNER else "a manager or an owner"
