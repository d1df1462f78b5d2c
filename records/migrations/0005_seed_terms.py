"""Vocabulary terms the article's data needs beyond the initial set (0003).

Each term: code, English, Russian and Kazakh labels. Existing terms are left as administrators made them.
"""

from django.db import migrations

TERMS = {
    "PlaceKind": [
        ("village", "village", "село", "ауыл"),
        ("world_region", "world region", "регион мира", "әлем өңірі"),
        ("macroregion", "macro-region", "макрорегион", "макроөңір"),
        ("sea", "sea", "море", "теңіз"),
        ("deposit", "oil or gas field, mineral deposit", "месторождение", "кен орны"),
    ],
    "OrganizationKind": [
        ("hospital", "hospital or clinic", "больница", "аурухана"),
        ("periodical", "periodical (magazine, newspaper)", "периодическое издание", "мерзімді басылым"),
        ("business_support", "business incubator or support centre", "бизнес-инкубатор", "бизнес-инкубатор"),
    ],
    "EventKind": [
        ("days_of_region", "days of a region", "дни региона", "өңір күндері"),
    ],
    "Sphere": [
        ("security", "security", "безопасность", "қауіпсіздік"),
    ],
    "Indicator": [
        ("ranking", "position in a ranking", "место в рейтинге", "рейтингтегі орны"),
        (
            "construction_volume",
            "volume of construction work",
            "объём строительных работ",
            "құрылыс жұмыстарының көлемі",
        ),
        ("payments", "payments", "платежи", "төлемдер"),
        ("expenditure", "expenditure", "расходы", "шығыстар"),
        ("grant_funding", "grant funding", "грантовое финансирование", "гранттық қаржыландыру"),
        ("capacity", "capacity", "мощность, вместимость", "қуаты, сыйымдылығы"),
        ("import_share", "share of imports", "доля в импорте", "импорттағы үлес"),
        ("deliveries", "goods delivered", "поставки", "жеткізілімдер"),
        ("projects", "projects", "проекты", "жобалар"),
        ("nominations", "competition categories", "номинации конкурса", "байқау номинациялары"),
    ],
    "Role": [
        ("country_of_origin", "country of origin", "страна выхода", "шыққан елі"),
    ],
    "Unit": [
        ("projects", "projects", "проектов", "жоба"),
        ("rank", "place in a ranking", "место", "орын"),
    ],
}


def load(apps, schema_editor):
    for model_name, terms in TERMS.items():
        model = apps.get_model("records", model_name)
        start = (model.objects.count() + 1) * 10
        for offset, (code, en, ru, kk) in enumerate(terms):
            model.objects.get_or_create(
                code=code, defaults={"labels": {"en": en, "ru": ru, "kk": kk}, "position": start + offset * 10}
            )


class Migration(migrations.Migration):
    dependencies = [("records", "0004_integrity")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
