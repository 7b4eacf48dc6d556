"""The packs a new installation starts with. Admins edit them in the UI (each save is a new version);
these are only the first version of each.

Sources: PRC Advertising Law art. 9(3) and SAMR's 2023 guideline on absolute terms (exempt: terms
that describe the advertiser's own range or its history truthfully, consumer tips such as the best
time to eat, registered marks and product names, and words that are no claim at all: 第一次, "best
before"); the US FTC Endorsement Guides (16 CFR 255) and its "Disclosures 101 for Social Media
Influencers" (#ad, #sponsored, "Paid partnership" count, placed where people see them first; #sp,
#spon, #collab, #ambassador, "thanks" do not); FTC/NAD health claim substantiation.
"""

from __future__ import annotations

from typing import Any

from dam_app.review.rules.packs import ALL_MARKETS, PackKind

BUILTIN_PACKS: list[dict[str, Any]] = [
    {
        "key": "cn-ad-law-art9",
        "name": "China Advertising Law art. 9: absolute terms",
        "kind": PackKind.ABSOLUTE_TERMS,
        "markets": ["CN"],
        "definition": {
            "terms": [
                "最佳",
                "最好",
                "最优",
                "最强",
                "最大",
                "最高级",
                "最高端",
                "最先进",
                "最低价",
                "最便宜",
                "最受欢迎",
                "国家级",
                "世界级",
                "全球级",
                "第一",
                "唯一",
                "首选",
                "首个",
                "极品",
                "顶级",
                "顶尖",
                "终极",
                "独一无二",
                "史无前例",
                "万能",
                "销量冠军",
                "全网第一",
                "NO.1",
                "No 1",
                "number one",
                "best",
                "world's best",
                "#1",
            ],
            "exempt_patterns": [
                # Consumer tips and dates, not claims.
                r"最佳(?:食用|饮用|赏味|品尝|使用|保存|储存|拍摄|观赏)",
                r"\bbest[- ](?:before|by|served|enjoyed|used|kept|stored|wishes|regards)\b",
                r"\bfor (?:the )?best results\b",
                r"\ball the best\b",
                r"\bbest friends?\b",
                # Ordinals and sequence: 第一次, 第一步, 第一天 ... say "first", not "the best".
                r"第一(?:次|步|天|季|届|批|章|期|代|眼|时间|个小时|周|口|层|页|部分)",
                r"\b(?:step|day|week|chapter|season|part|tip|rule) (?:number one|#1)\b",
                # The advertiser's own range, compared truthfully with itself.
                r"(?:本店|本品牌|本系列|我们|我们的|品牌|自家|旗下)[^。\uff01\uff1f!?\n]{0,12}(?:最|第一)[^。\uff01\uff1f!?\n]{0,6}",
                r"\bour (?:\w+ ){0,3}(?:best|lightest|fastest|softest|strongest)\b"
                r"[^.!?\n]{0,40}\b(?:yet|ever|in our (?:range|line|collection))\b",
            ],
            "trademarks": [],
        },
    },
    {
        "key": "us-ftc-endorsement",
        "name": "US FTC endorsement guides: paid content says so first",
        "kind": PackKind.DISCLOSURE,
        "markets": ["NA"],
        "definition": {
            "applies_to_tags": [
                "influencer",
                "partner",
                "sponsored",
                "paid partnership",
                "kol",
                "creator",
                "affiliate",
                "ambassador",
            ],
            "disclosures": [
                r"(?<![\w#])#ad\b",
                r"#advertisement\b",
                r"#sponsored\b",
                r"\bpaid partnership\b",
                r"\bsponsored by\b",
                r"^[ \t]*(?:ad|advertisement)\b(?![-'])",  # [ \t], not \s: a run of blank lines stays linear
                r"#publicidad\b",
                r"#patrocinado\b",
                r"\bcolaboraci[oó]n pagada\b",
                r"\bpublicidad\s*[:|-]",
            ],
            "not_enough": [
                r"#sp\b",
                r"#spon\b",
                r"#collab\b",
                r"#ambassador\b",
                r"#partner\b",
                r"#thanks\w*",
                r"#gifted\b",
            ],
        },
    },
    {
        "key": "health-claims",
        "name": "Health and efficacy claims need evidence",
        "kind": PackKind.CLAIMS,
        "markets": [ALL_MARKETS],
        "definition": {
            "patterns": [
                r"\bcures?\b",
                r"\bclinically (?:proven|shown|demonstrated)\b",
                r"\b(?:lowers?|reduces?) (?:your )?(?:blood pressure|cholesterol|blood sugar)\b",
                r"\bheals?\b",
                r"\bprevents? (?:cancer|disease|illness|infections?|diabetes)\b",
                r"\bboosts? (?:your )?immun(?:e system|ity)\b",
                r"\btreats? (?:acne|eczema|psoriasis|insomnia)\b",
                r"治愈",
                r"根治",
                r"临床(?:证明|验证|实证)",
                r"降(?:血压|血糖|血脂)",
                r"预防(?:疾病|癌症|感冒)",
                r"(?:增强|提高|提升|强化|调节)?免疫力",  # any claim on immunity, however it is worded
                r"抗癌",
                r"药到病除",
                r"治る",
                r"完治",
                r"臨床(?:的に)?(?:証明|実証)",
                r"血圧を下げ",
                r"血糖値を下げ",
                r"病気を予防",
                r"免疫力?を?(?:高め|アップ)",
                r"\bheilt\b",
                r"\bklinisch (?:erwiesen|bewiesen|belegt)\b",
                r"\bsenkt (?:den )?(?:Blutdruck|Cholesterin)",
                r"\bbeugt\b[^.!?]{0,40}\b(?:Krankheiten|Krebs|Erkältungen)\b[^.!?]{0,10}\bvor\b",
                r"\bcura\b",
                r"\bcl[ií]nicamente (?:probado|comprobado|demostrado)\b",
                r"\b(?:reduce|baja) (?:la presi[oó]n arterial|el colesterol|el az[uú]car en sangre)\b",
                r"\bpreviene (?:enfermedades|el c[aá]ncer|resfriados)\b",
            ],
            "not_claims": [
                r"\bcured (?:ham|meats?|salmon|sausages?|pork|beef|egg yolks?)\b",
                r"\bcure time\b",
                r"\bla cura de\b[^.!?]{0,20}\b(?:jam[oó]n|queso)\b",
            ],
        },
    },
]


def first_versions() -> list[dict[str, Any]]:
    """The built-in packs as rows of `rule_packs` at version 1 (migration 0017 inserts them)."""
    return [
        {
            "key": p["key"],
            "version": 1,
            "name": p["name"],
            "kind": str(p["kind"]),
            "markets": p["markets"],
            "definition": p["definition"],
            "note": "built in",
        }
        for p in BUILTIN_PACKS
    ]
