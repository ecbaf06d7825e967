"""factory_boy factories for test data (tests build their own rows; YAML holds reference data)."""
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from initiatives import models as m


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.Sequence(lambda n: f"Testkommune {n}")


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Administration

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"ADM{n}")
    name = factory.Sequence(lambda n: f"Forvaltning {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Programme

    municipality = factory.SubFactory(MunicipalityFactory)
    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = "Testprogram"
    start_year = 2020
    end_year = 2023


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.FocusArea

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Indsatsområde {n}")


class EffectGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.EffectGoal

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Et effektmål"
    responsible = factory.SubFactory(AdministrationFactory,
                                     municipality=factory.SelfAttribute("..programme.municipality"))


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Initiative

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.Sequence(lambda n: f"initiative-{n}")
    name = factory.Sequence(lambda n: f"Initiativ {n}")
    administration = factory.SubFactory(AdministrationFactory,
                                        municipality=factory.SelfAttribute("..programme.municipality"))
    funding_status = m.FundingStatus.FINANCED


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.BudgetLine

    initiative = factory.SubFactory(InitiativeFactory)
    year = 2020
    kind = m.BudgetKind.OPERATIONS
    amount_tdkk = Decimal("100")
    price_level_year = 2020


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a password of ``pw-for-tests-123`` and, with ``role=``, that role's group."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()
