"""Staff roles (DOMAIN.md, "People and places").

Roles are Django groups named by the slugs below, created by a data migration. One person
may hold several. What a role may see (money, customer contact details) is decided here
once and read by views and templates through `Staff`.
"""

from django.utils.translation import gettext_lazy as _

RECEPTIONIST = "receptionist"
DISPATCHER = "dispatcher"
DRESS_STYLIST = "dress_stylist"
MAKEUP_ARTIST = "makeup_artist"
PHOTOGRAPHER = "photographer"
ASSISTANT = "assistant"
DRIVER = "driver"
SELECTION_CONSULTANT = "selection_consultant"
RETOUCHER = "retoucher"
PRODUCTION = "production"
PICKUP_CLERK = "pickup_clerk"
CUSTOMER_SERVICE = "customer_service"
CASHIER = "cashier"
MANAGER = "manager"
# Head office: runs the whole chain (branches, staff assignments, roles, unlocking logins).
CHAIN_MANAGER = "chain_manager"

LABELS = {
    RECEPTIONIST: _("Receptionist"),
    DISPATCHER: _("Dispatcher"),
    DRESS_STYLIST: _("Dress stylist"),
    MAKEUP_ARTIST: _("Makeup artist"),
    PHOTOGRAPHER: _("Photographer"),
    ASSISTANT: _("Assistant"),
    DRIVER: _("Driver"),
    SELECTION_CONSULTANT: _("Selection consultant"),
    RETOUCHER: _("Retoucher / designer"),
    PRODUCTION: _("Production"),
    PICKUP_CLERK: _("Pickup clerk"),
    CUSTOMER_SERVICE: _("Customer service"),
    CASHIER: _("Cashier"),
    MANAGER: _("Store manager"),
    CHAIN_MANAGER: _("Chain manager (head office)"),
}
ALL = tuple(LABELS)
CHOICES = list(LABELS.items())

# Field staff work on the floor with tablets: never money, addresses or phone numbers.
FIELD = frozenset({DRESS_STYLIST, MAKEUP_ARTIST, PHOTOGRAPHER, ASSISTANT, DRIVER})
SEES_MONEY = frozenset(
    {RECEPTIONIST, CASHIER, MANAGER, SELECTION_CONSULTANT, PICKUP_CLERK, CUSTOMER_SERVICE}
)
# Roles whose work is calling customers see phone numbers unmasked.
CALLS_CUSTOMERS = frozenset(
    {RECEPTIONIST, CUSTOMER_SERVICE, MANAGER, SELECTION_CONSULTANT, PICKUP_CLERK, DISPATCHER}
)
# Who reads the messages sent to a couple (and what became of them) on their file: the
# people who talk to customers, and head office.
SEES_MESSAGES = CALLS_CUSTOMERS | {CHAIN_MANAGER}
# Everyone but field staff: the office, which may open a couple's customer file.
OFFICE = frozenset(ALL) - FIELD
FRONT_DESK = frozenset({RECEPTIONIST, CASHIER, MANAGER, CUSTOMER_SERVICE})
# Complaints are taken by whoever the customer reaches: the desk and customer service.
LOGS_COMPLAINTS = frozenset({RECEPTIONIST, CUSTOMER_SERVICE, MANAGER})
# Who earns commission (提成) and so sees their own statement (commissions app): the desk
# that signs and sells, who brings couples in, the consultant, the photographer and the
# makeup artist for their per-shoot fees, and the manager.
EARNS_COMMISSION = frozenset(
    {
        RECEPTIONIST,
        CUSTOMER_SERVICE,
        SELECTION_CONSULTANT,
        PICKUP_CLERK,
        CASHIER,
        PHOTOGRAPHER,
        MAKEUP_ARTIST,
        MANAGER,
    }
)
# Who puts an order's shoot on the control sheet (摄控表) or moves it.
BOOKS_SHOOTS = frozenset({DISPATCHER, MANAGER, RECEPTIONIST, CUSTOMER_SERVICE})


def role_label(group):
    """A role group's name in the reader's language; any other group's name as it is."""
    return str(LABELS.get(group.name, group.name))
