from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "gonghui.funds"
    label = "funds"
    verbose_name = "补贴与经费"

    def ready(self):
        # honours pays prizes and shows studios' funding through the funds ledger; funds reads honours
        # (training records), so honours may not import funds: funds plugs its services in.
        from gonghui.honours import ports

        from . import services

        ports.money_register(
            ports.Money(
                prize_book=services.prize_book,
                prize_scheme_check=services.prize_scheme_check,
                application_lookup=services.application_lookup,
                prize_schemes=services.prize_schemes,
            )
        )
