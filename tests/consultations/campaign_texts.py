"""Form letters and their edited copies, in English and Chinese, for the campaign tests."""

LETTER_EN = (
    "Dear officers,\n"
    "I am writing to oppose the approval of maize MON 89034 for food, feed and processing. "
    "The risk assessment does not consider the long-term effects on soil organisms. "
    "Independent studies on the Cry proteins were not taken into account. "
    "Labelling of products containing this maize must be mandatory and clearly visible. "
    "Smallholder farmers have not been consulted about contamination of local varieties. "
    "Please reject the application until these questions are answered.\n"
    "Yours sincerely,\nAnna Smith"
)
GREETING_CHANGED_EN = LETTER_EN.replace("Dear officers,", "To whom it may concern,").replace(
    "Anna Smith", "Pedro Alvarez"
)
SENTENCE_ADDED_EN = LETTER_EN.replace(
    "Please reject",
    "On my own farm in the Rift Valley I have seen how pollen from a neighbour's field travels "
    "more than two hundred metres with the wind. Please reject",
)
REWORDED_EN = LETTER_EN.replace(
    "The risk assessment does not consider the long-term effects on soil organisms.",
    "The risk assessment fails to consider the long-term effects on soil organisms.",
).replace("must be mandatory and clearly visible", "should be mandatory and clearly visible")
SHORTENED_EN = (
    "Dear officers,\n"
    "I am writing to oppose the approval of maize MON 89034 for food, feed and processing. "
    "The risk assessment does not consider the long-term effects on soil organisms. "
    "Please reject the application until these questions are answered.\n"
    "Kind regards, Li"
)
SAME_SUBJECT_EN = (
    "I support a careful look at maize MON 89034. The dossier shows yields in trials in three "
    "provinces, but the monitoring plan should say who pays for sampling at the border and how "
    "often grain shipments are tested for unauthorised events."
)
QUOTE_EN = (
    "Someone wrote that the risk assessment does not consider the long-term effects on soil "
    "organisms. I disagree: Annex III section 8 covers it, and the applicant gave two field "
    "seasons of data on earthworms and collembola, which I found convincing."
)

LETTER_ZH = (
    "尊敬的官员：\n"
    "我反对批准转基因玉米MON 89034用于食品、饲料和加工。"
    "风险评估没有考虑对土壤生物的长期影响。"
    "关于Cry蛋白的独立研究没有被纳入考虑。"
    "含有这种玉米的产品必须强制标识并清晰可见。"
    "小农户没有就地方品种受污染的问题被征求意见。"
    "请在这些问题得到答复之前驳回该申请。\n"
    "此致\n张伟"
)
GREETING_CHANGED_ZH = LETTER_ZH.replace("尊敬的官员：", "您好：").replace("张伟", "李娜")
SENTENCE_ADDED_ZH = LETTER_ZH.replace(
    "请在这些问题", "我在云南种植玉米二十年，亲眼看到花粉随风飘到两百米以外的邻居田里。请在这些问题"
)
REWORDED_ZH = LETTER_ZH.replace("风险评估没有考虑", "风险评估并未考虑").replace(
    "必须强制标识", "应当强制标识"
)
SHORTENED_ZH = (
    "尊敬的官员：\n我反对批准转基因玉米MON 89034用于食品、饲料和加工。"
    "风险评估没有考虑对土壤生物的长期影响。请在这些问题得到答复之前驳回该申请。\n王芳"
)
SAME_SUBJECT_ZH = (
    "我支持对MON 89034玉米进行审慎评估。申请材料显示了三个省份的试验产量，"
    "但监测计划应说明由谁承担边境抽样费用，以及多久检测一次谷物是否含有未经授权的转化体。"
)
QUOTE_ZH = (
    "有人说风险评估没有考虑对土壤生物的长期影响。我不同意：附件三第8节已经涉及，"
    "申请者提供了两个生长季关于蚯蚓和跳虫的数据，我认为很有说服力。"
)
