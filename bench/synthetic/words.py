"""The words synthetic records are made of: Kazakh-style name parts, people's names, company words, notes.

Fixed lists (the generator's output depends on their order): changing one changes every run's content.
"""

from __future__ import annotations

# Name parts: (Russian, Kazakh, Latin from Russian, Latin from Kazakh).
PREFIXES = [
    ("Ак", "Ақ", "Ak", "Aq"), ("Кара", "Қара", "Kara", "Qara"), ("Сары", "Сары", "Sary", "Sary"),
    ("Кок", "Көк", "Kok", "Kok"), ("Жана", "Жаңа", "Zhana", "Jana"), ("Ески", "Ескі", "Eski", "Eski"),
    ("Улы", "Ұлы", "Uly", "Uly"), ("Таш", "Тас", "Tash", "Tas"), ("Бай", "Бай", "Bai", "Bai"),
    ("Кызыл", "Қызыл", "Kyzyl", "Qyzyl"), ("Ала", "Ала", "Ala", "Ala"), ("Бес", "Бес", "Bes", "Bes"),
    ("Жел", "Жел", "Zhel", "Jel"), ("Талды", "Талды", "Taldy", "Taldy"), ("Шал", "Шал", "Shal", "Shal"),
    ("Есиль", "Есіл", "Esil", "Esil"), ("Кен", "Кен", "Ken", "Ken"), ("Тем", "Тем", "Tem", "Tem"),
    ("Уш", "Үш", "Ush", "Ush"), ("Мын", "Мың", "Myn", "Myn"), ("Ой", "Ой", "Oi", "Oi"),
    ("Тогыз", "Тоғыз", "Togyz", "Toghyz"), ("Жаксы", "Жақсы", "Zhaksy", "Jaqsy"), ("Кос", "Қос", "Kos", "Qos"),
]  # fmt: skip
MIDDLES = [
    ("", "", "", ""), ("", "", "", ""), ("", "", "", ""), ("ба", "ба", "ba", "ba"), ("ту", "ту", "tu", "tu"),
    ("ке", "ке", "ke", "ke"), ("са", "са", "sa", "sa"), ("ты", "ты", "ty", "ty"), ("мы", "мы", "my", "my"),
]  # fmt: skip
ROOTS = [
    ("булак", "бұлақ", "bulak", "bulaq"), ("су", "су", "su", "su"), ("тау", "тау", "tau", "tau"),
    ("коль", "көл", "kol", "kol"), ("агаш", "ағаш", "agash", "aghash"), ("кум", "құм", "kum", "qum"),
    ("тобе", "төбе", "tobe", "tobe"), ("жар", "жар", "zhar", "jar"), ("кудук", "құдық", "kuduk", "qudyq"),
    ("озек", "өзек", "ozek", "ozek"), ("арал", "арал", "aral", "aral"), ("терек", "терек", "terek", "terek"),
    ("кайын", "қайың", "kaiyn", "qaiyng"), ("шокы", "шоқы", "shoky", "shoqy"), ("сай", "сай", "sai", "sai"),
    ("дала", "дала", "dala", "dala"), ("курган", "қорған", "kurgan", "qorgan"), ("тал", "тал", "tal", "tal"),
    ("жол", "жол", "zhol", "jol"), ("бастау", "бастау", "bastau", "bastau"), ("кора", "қора", "kora", "qora"),
    ("узек", "үзек", "uzek", "uzek"), ("мола", "мола", "mola", "mola"), ("кент", "кент", "kent", "kent"),
]  # fmt: skip
GIVEN_MALE = [
    "Ерлан", "Марат", "Нурлан", "Серик", "Болат", "Асхат", "Бауыржан", "Данияр", "Айдар", "Канат",
    "Иван", "Сергей", "Андрей", "Дмитрий", "Алексей", "Владимир", "Тимур", "Руслан", "Ержан", "Галым",
]  # fmt: skip
GIVEN_FEMALE = [
    "Айгуль", "Гульнара", "Сауле", "Алия", "Динара", "Жанна", "Ольга", "Елена", "Наталья", "Татьяна",
    "Мария", "Анна", "Салтанат", "Асель", "Камила",
]  # fmt: skip
FAMILY = [
    "Ахметов", "Омаров", "Жумабаев", "Касымов", "Искаков", "Байжанов", "Сулейменов", "Мусин",
    "Тулегенов", "Кенжебаев", "Ержанов", "Садыков", "Нурланов", "Абдрахманов", "Иванов", "Петров",
    "Смирнов", "Кузнецов", "Попов", "Соколов", "Морозов", "Волков", "Лебедев", "Козлов", "Новиков",
    "Ким", "Ли", "Шевченко", "Бондаренко", "Мельников",
]  # fmt: skip
# Russian letters in Latin ("_": left out).
RU_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
            "u", "f", "kh", "ts", "ch", "sh", "shch", "_", "y", "_", "e", "iu", "ia",
        ],
        strict=True,
    )
)  # fmt: skip
COMPANY_WORDS = [
    ("Алтын", "Altyn"), ("Темир", "Temir"), ("Мунай", "Munai"), ("Транс", "Trans"), ("Агро", "Agro"),
    ("Энерго", "Energo"), ("Строй", "Stroi"), ("Инвест", "Invest"), ("Сервис", "Servis"), ("Торг", "Torg"),
    ("Казах", "Kazakh"), ("Евразия", "Eurasia"), ("Степь", "Step"), ("Шелк", "Silk"), ("Восток", "Vostok"),
]  # fmt: skip

NOTES = [
    "Mentioned in the regional press of the time.",
    "The figures differ between the sources; the lower one is given.",
    "Known from the report of the regional akimat to the Ministry of Foreign Affairs.",
    "The text of the document has not been found in the archives consulted.",
    "Signed during an official visit; ratification is not documented.",
    "Part of a series of similar documents signed in the same year.",
]
QUOTES = [
    "Стороны договорились о расширении торгово-экономического сотрудничества.",
    "Объём взаимной торговли вырос почти вдвое.",
    "Делегация ознакомилась с работой промышленных предприятий области.",
    "Было подписано соглашение о сотрудничестве в гуманитарной сфере.",
]
UNCERTAIN_NOTES = ["The date is given differently in other sources.", "Only one source mentions it."]


def latin(name: str) -> str:
    """A Russian name in Latin letters (Иванов → Ivanov)."""
    out = []
    for char in name:
        low = char.lower()
        letters = RU_LATIN.get(low)
        if letters is None:
            out.append(char)
        elif letters != "_":
            out.append(letters.capitalize() if char != low else letters)
    return "".join(out)
