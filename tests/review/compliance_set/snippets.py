# ruff: noqa: RUF001  (Chinese and Japanese copy is written with its own full-width punctuation)
"""The compliance test set: copy as marketers write it for five languages, with the findings a
careful reviewer expects (rule, words) and the false-alarm traps a word list falls into (第一次,
"best before", 本品牌最轻, 顶级厨师®, #adventure, cured ham, manicura). Snippets name the market they
run in: the China pack reads CN copy only, the FTC pack NA partner content, health claims all."""

from __future__ import annotations

from typing import Any

A, MISSING, BURIED, WEAK, CLAIM = (
    "absolute_term",
    "missing_disclosure",
    "buried_disclosure",
    "weak_disclosure",
    "health_claim",
)
PARTNER = ["influencer"]


def s(
    lang: str, market: str, text: str, *expect: tuple[str, str], tags: list[str] | None = None, field: str = "copy"
) -> dict[str, Any]:
    return {"lang": lang, "market": market, "text": text, "expect": list(expect), "tags": tags or [], "field": field}


SNIPPETS: list[dict[str, Any]] = [
    # China Advertising Law art. 9: claims
    s("zh", "CN", "全网最低价！双十一限时抢购", (A, "最低价")),
    s("zh", "CN", "国家级品质，匠心打造", (A, "国家级")),
    s("zh", "CN", "这是市面上最好的保温杯", (A, "最好")),
    s("zh", "CN", "顶级真皮沙发，限时五折", (A, "顶级")),
    s("zh", "CN", "销量第一的防晒霜", (A, "第一")),
    s("zh", "CN", "唯一获得认证的儿童安全座椅", (A, "唯一")),
    s("zh", "CN", "极品大红袍，茶中之王", (A, "极品")),
    s("zh", "CN", "史无前例的优惠力度，错过再等一年", (A, "史无前例")),
    s("zh", "CN", "全网第一的扫地机器人", (A, "全网第一")),
    s("en", "CN", "The best hair dryer in China", (A, "best")),
    s("en", "CN", "No.1 selling sunscreen in Asia", (A, "no.1")),
    s("zh", "CN", "世界级音质，沉浸式体验", (A, "世界级")),
    s("zh", "CN", "采用最先进的降噪技术", (A, "最先进")),
    s("zh", "CN", "年轻人的首选品牌，值得信赖", (A, "首选")),
    s("zh", "CN", "万能清洁剂，一瓶搞定全屋", (A, "万能")),
    s("zh", "CN", "终极护肤方案，七天见效", (A, "终极")),
    s("zh", "CN", "年度销量冠军，热卖百万件", (A, "销量冠军")),
    s("en", "CN", "The world's best coffee beans, roasted daily", (A, "world's best")),
    s("zh", "CN", "今年最受欢迎的国潮卫衣", (A, "最受欢迎")),
    s("zh", "CN", "独一无二的设计，只为你而来", (A, "独一无二")),
    s("zh", "CN", "顶尖科技，最强性能", (A, "顶尖"), (A, "最强")),
    s("en", "CN", "Voted number one by parents", (A, "number one")),
    s("zh", "CN", "最佳拍档：咖啡配可颂，双人套餐", (A, "最佳")),
    # China: traps a word list would flag
    s("zh", "CN", "最佳食用期：开封后7天内"),
    s("zh", "CN", "第一次使用前请充分摇匀"),
    s("zh", "CN", "第一步：洁面；第二步：涂抹精华"),
    s("en", "CN", "Best before: see the bottom of the can"),
    s("zh", "CN", "本品牌最轻的一款跑鞋，仅重180克"),
    s("zh", "CN", "顶级厨师®联名款餐具"),
    s("zh", "CN", "第一季新品上市，敬请期待"),
    s("zh", "CN", "最佳赏味期限为30天"),
    s("en", "CN", "For best results, apply to damp hair"),
    s("zh", "CN", "开业第一天全场八折"),
    s("zh", "CN", "春节期间第一时间为您发货"),
    s("en", "CN", "Best wishes for the Spring Festival from all of us"),
    s("zh", "CN", "100%纯棉，亲肤透气"),
    s("en", "CN", "Our best formula yet, now with SPF 50"),
    s("zh", "CN", "我们最新一代的电动牙刷，续航更久"),
    # US FTC: partner content without a clear disclosure first
    s("en", "NA", "Loving my new glow serum from @Lumiere! Link in bio", (MISSING, ""), tags=PARTNER),
    s("en", "NA", "Obsessed with these sneakers #sp", (WEAK, "#sp"), (MISSING, ""), tags=PARTNER),
    s("en", "NA", "Summer vibes with @SunnyCo #collab #summer", (WEAK, "#collab"), (MISSING, ""), tags=["partner"]),
    s("en", "NA", "Best protein bar I've tried!\nSo tasty.\n#ad", (BURIED, "#ad"), tags=PARTNER),
    s("en", "NA", "Proud to join the team #ambassador", (WEAK, "#ambassador"), (MISSING, ""), tags=["ambassador"]),
    s("es", "NA", "Nuestro nuevo café favorito #cafe", (MISSING, ""), tags=["sponsored"]),
    s("es", "NA", "Me encanta este sérum\n#publicidad", (BURIED, "#publicidad"), tags=PARTNER),
    s(
        "en",
        "NA",
        "Thanks @BrandX for the goodies! #thanksBrandX",
        (WEAK, "#thanksbrandx"),
        (MISSING, ""),
        tags=["creator"],
    ),
    s("en", "NA", "Weekend essentials #spon", (WEAK, "#spon"), (MISSING, ""), tags=PARTNER),
    s("en", "NA", "My go-to blender. Shop with my link!", (MISSING, ""), tags=["affiliate"]),
    s("en", "NA", "This mascara changed my routine #partner", (WEAK, "#partner"), (MISSING, ""), tags=["kol"]),
    s("en", "NA", "Run with me this morning!\n\n\nSponsored by Stride", (BURIED, "sponsored by"), tags=PARTNER),
    s("en", "NA", "#adventure awaits on the trail with @Stride", (MISSING, ""), tags=PARTNER),
    # US FTC: done right, or no partner content at all
    s("en", "NA", "#ad Loving my new glow serum from @Lumiere!", tags=PARTNER),
    s("en", "NA", "Paid partnership with @Stride: my morning run kit", tags=PARTNER),
    s("en", "NA", "#sponsored Meet the lightest tent we've packed", tags=["partner"]),
    s("en", "NA", "Ad: my honest take on the new headphones", tags=PARTNER),
    s("en", "NA", "Shop the new collection today!"),
    s("es", "NA", "#publicidad Mi rutina de mañana con @Lumiere", tags=PARTNER),
    s("es", "NA", "Colaboración pagada con @Stride: así entreno", tags=["creator"]),
    s("en", "NA", "#sp sale this weekend only"),
    s("en", "NA", "#Sponsored by Lumiere: my skincare routine", tags=["sponsored"]),
    s("en", "NA", "Best protein bar I've tried", tags=[]),
    s("en", "NA", "AD | Three looks for the holidays", tags=PARTNER),
    # Health and efficacy claims, five languages
    s("en", "NA", "This balm cures eczema in days", (CLAIM, "cures")),
    s("en", "EU", "Clinically proven to reduce wrinkles", (CLAIM, "clinically proven")),
    s("en", "NA", "Our tea lowers blood pressure naturally", (CLAIM, "lowers blood pressure")),
    s("en", "EU", "Boosts your immune system all winter", (CLAIM, "boosts your immune system")),
    s("en", "NA", "Heals cracked heels overnight", (CLAIM, "heals")),
    s("en", "SEA", "Prevents infections with silver ions", (CLAIM, "prevents infections")),
    s("en", "NA", "Treats acne without drying your skin", (CLAIM, "treats acne")),
    s("en", "EU", "The only supplement that lowers cholesterol", (CLAIM, "lowers cholesterol")),
    s("zh", "CN", "本品可根治脱发", (CLAIM, "根治")),
    s("zh", "CN", "临床证明有效改善睡眠", (CLAIM, "临床证明")),
    s("zh", "CN", "每天一杯，降血压", (CLAIM, "降血压")),
    s("zh", "CN", "增强免疫力，守护全家健康", (CLAIM, "增强免疫力")),
    s("zh", "CN", "三天治愈口腔溃疡", (CLAIM, "治愈")),
    s("zh", "CN", "抗癌食材，天天吃", (CLAIM, "抗癌")),
    s("ja", "JP", "飲むだけで血圧を下げる", (CLAIM, "血圧を下げ")),
    s("ja", "JP", "臨床的に証明された保湿力", (CLAIM, "臨床的に証明")),
    s("ja", "JP", "肌荒れが治るクリーム", (CLAIM, "治る")),
    s("ja", "JP", "免疫力アップのサプリ", (CLAIM, "免疫力アップ")),
    s("ja", "JP", "血糖値を下げるお茶", (CLAIM, "血糖値を下げ")),
    s("de", "EU", "Klinisch erwiesen: weniger Falten in 4 Wochen", (CLAIM, "klinisch erwiesen")),
    s("de", "EU", "Dieser Tee senkt den Blutdruck", (CLAIM, "senkt den blutdruck")),
    s("de", "EU", "Die Salbe heilt Ekzeme schnell", (CLAIM, "heilt")),
    s("de", "EU", "Unser Saft beugt Erkältungen wirksam vor", (CLAIM, "beugt erkältungen wirksam vor")),
    s("de", "EU", "Klinisch belegt gegen Haarausfall", (CLAIM, "klinisch belegt")),
    s("es", "LATAM", "Clínicamente probado para reducir arrugas", (CLAIM, "clínicamente probado")),
    s("es", "LATAM", "Este té reduce la presión arterial", (CLAIM, "reduce la presión arterial")),
    s("es", "LATAM", "Cura el acné en una semana", (CLAIM, "cura")),
    s("es", "LATAM", "Previene enfermedades del corazón", (CLAIM, "previene enfermedades")),
    s("es", "NA", "Baja el colesterol con una taza al día", (CLAIM, "baja el colesterol")),
    # Health claims: look-alikes that are none
    s("en", "EU", "Dry-cured ham from Parma, aged 18 months"),
    s("en", "NA", "Manicure set with 12 tools"),
    s("en", "EU", "Dermatologically tested, suitable for sensitive skin"),
    s("en", "NA", "Clinically tested for skin tolerance"),
    s("en", "NA", "Curing time for the resin: 24 hours"),
    s("en", "NA", "Blood pressure monitor with a large display"),
    s("en", "NA", "Immune to boredom: 40 games in one box"),
    s("en", "EU", "Cured salmon, sliced thin, for your brunch table"),
    s("zh", "CN", "预防晒伤，出门前涂抹"),
    s("zh", "CN", "抗菌面料，速干透气"),
    s("ja", "JP", "髪の傷みを補修するトリートメント"),
    s("ja", "JP", "病気の予防については医師にご相談ください"),
    s("de", "EU", "Heilbronner Weinfest: jetzt Tickets sichern"),
    s("de", "EU", "Klinisch getestete Hautverträglichkeit"),
    s("de", "EU", "Die Heilung beginnt im Kopf: ein Roman"),
    s("es", "LATAM", "Jamón curado de bellota, 36 meses"),
    s("es", "LATAM", "Manicura profesional en casa"),
    s("es", "LATAM", "Protege del sol y previene manchas"),
    s("en", "NA", "Cure your boredom with our puzzle box"),  # a figure of speech the pattern cannot tell
    s("zh", "CN", "每天一粒，提升免疫力的维C软糖", (CLAIM, "提升免疫力")),
    s("zh", "CN", "免疫力UP！换季必备", (CLAIM, "免疫力")),
]
