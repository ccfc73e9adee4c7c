from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

from studio.models import Branch, Customer, Package, Staff


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"b{n}")
    name = factory.Sequence(lambda n: f"Branch {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")


class StaffFactory(factory.django.DjangoModelFactory):
    """`StaffFactory(roles=["receptionist"], branches=[branch])`."""

    class Meta:
        model = Staff
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Staff {n}")
    personal_phone = factory.Sequence(lambda n: f"1390000{n:04d}")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.user.groups.add(Group.objects.get_or_create(name=name)[0])

    @factory.post_generation
    def branches(self, create, extracted, **kwargs):
        if extracted:
            self.branches.set(extracted)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    branch = factory.SubFactory(BranchFactory)
    bride_name = factory.Sequence(lambda n: f"Bride {n}")
    groom_name = factory.Sequence(lambda n: f"Groom {n}")
    bride_phone = factory.Sequence(lambda n: f"1380000{n:04d}")
    groom_phone = factory.Sequence(lambda n: f"1370000{n:04d}")


def give_consent(customer, *, purposes=None, channels=None, granted=True):
    """Record the customer's consent (or its withdrawal) through the service, as the front
    desk would: every purpose on every channel unless named."""
    from studio.models import ConsentChannel, ConsentEvent, ConsentPurpose
    from studio.services import grant_consent, withdraw_consent

    record = grant_consent if granted else withdraw_consent
    for purpose in purposes or ConsentPurpose.values:
        for channel in channels or ConsentChannel.values:
            record(
                customer, purpose=purpose, channel=channel, source=ConsentEvent.Source.FRONT_DESK
            )


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Package {n}")
    code = factory.Sequence(lambda n: f"pkg{n}")
    price = Decimal("8800.00")
    floor_price = Decimal("6800.00")

    @factory.post_generation
    def branches(self, create, extracted, **kwargs):
        if extracted:
            self.branches.set(extracted)
