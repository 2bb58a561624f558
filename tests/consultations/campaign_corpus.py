"""A small corpus written apart from bench/campaigns.py's generator (issue 15: "a corpus the
team has not seen"): two English and two Chinese form letters on other subjects, each copied
the way people copy a letter (a new greeting and name, a paragraph of their own, a sentence
dropped, sentences put in their own words, only the first half kept), and comments that must
stay individual: independent comments on the same subjects and one-sentence quotes.

`CORPUS` is a list of (body, label): the label names the letter a comment copies, None for a
comment that must stay individual. Bodies use "\n" between paragraphs, as people type them.
"""

# --- English letter A: gene-drive mosquitoes -------------------------------------------------

A = [
    "We are writing about the proposed field release of gene-drive mosquitoes in the lake "
    "districts.",
    "A gene drive spreads through wild populations and cannot be recalled once it is released.",
    "The dossier gives no plan for monitoring neighbouring countries into which the mosquitoes "
    "will fly.",
    "Under Article 17 of the Cartagena Protocol, affected states must be notified of any "
    "unintentional transboundary movement.",
    "Communities around the release sites have not given free, prior and informed consent.",
    "We ask the authority to hold public hearings in the local languages before any decision.",
    "Until then the application should be refused.",
]
A_REWORDED = {
    1: "Once released, a gene drive moves through wild populations and there is no way to call "
    "it back.",
    4: "The people living near the release sites were never asked for their free, prior and "
    "informed consent.",
    6: "Until that happens, please refuse the application.",
}
A_OWN = (
    "I am a nurse in Kisumu and I have watched malaria take children from families I know. I "
    "want new tools against the disease, but not without the villages that will live with the "
    "mosquitoes having a say in how the trial is run and who answers if it goes wrong."
)

# --- English letter B: imported GM rice and labelling -----------------------------------------

B = [
    "Thank you for the opportunity to comment on the import of rice event LL62 for food.",
    "Rice is our staple food and is eaten every day by every household.",
    "Consumers have a right to know whether the rice they buy is genetically modified.",
    "We therefore call for mandatory labelling of all products containing LL62 rice.",
    "Testing at the port of entry should be carried out by an accredited public laboratory.",
    "The results of that testing must be published every quarter.",
    "Small traders must not bear the cost of testing.",
    "We hope that our views will be taken into account.",
]
B_REWORDED = {
    2: "Every consumer has the right to know if the rice on the shelf is genetically modified.",
    4: "An accredited public laboratory should test the rice where it enters the country.",
    5: "Those test results need to be made public each quarter.",
}
B_OWN = (
    "My family runs a small rice stall in the central market. Last year a private testing "
    "company charged us more than a week's earnings for one certificate, and we had to pass "
    "the cost on to our customers."
)

# --- Chinese letter C: 转基因大豆进口 --------------------------------------------------------

C = [
    "我们就转基因大豆DAS-68416-4进口用作加工原料一事提出意见。",
    "该大豆耐受多种除草剂，可能导致进口国农田除草剂用量增加。",
    "申请材料中缺少除草剂残留对人体健康影响的长期数据。",
    "运输和加工过程中洒落的种子可能在港口和道路两旁自生繁殖。",
    "我们建议主管部门要求申请者提交港口周边的监测方案。",
    "监测结果应当每年向社会公开。",
    "在上述材料补齐之前，请暂缓批准。",
]
C_REWORDED = {
    1: "这种大豆能耐受好几种除草剂，进口以后农田里的除草剂用量可能随之上升。",
    3: "种子在运输和加工时掉落，有可能在港口附近和公路边上自己长出来。",
    5: "监测的结果每年都应该向公众公布。",
}
C_OWN = (
    "我家住在大连港附近，去年秋天在铁路边上看到过成片的大豆苗，"
    "当地农技站的同志也说不清这些大豆是从哪里来的，希望有关部门认真调查。"
)

# --- Chinese letter D: 基因编辑作物的管理 ----------------------------------------------------

D = [
    "关于基因编辑作物管理办法征求意见稿，我们有以下意见。",
    "不引入外源基因的基因编辑作物也应当接受安全评价。",
    "脱靶效应的检测方法需要统一的国家标准。",
    "基因编辑产品应当在包装上明确标识，保障消费者的知情权和选择权。",
    "种子企业应当建立可追溯制度，记录每一批种子的来源和去向。",
    "公众参与的渠道应当更加畅通，征求意见的期限不应少于六十天。",
    "以上意见，请予考虑。",
]
D_REWORDED = {
    1: "即使没有引入外源基因，基因编辑作物同样需要进行安全评价。",
    3: "包装上应当清楚标明是基因编辑产品，让消费者知情并能够自己选择。",
    5: "应当让公众更方便地参与，征求意见的时间至少要有六十天。",
}
D_OWN = (
    "我是一名大学生物专业的老师，在课堂上经常被学生问到基因编辑食品是否安全。"
    "如果管理办法能够公开评价数据，我们在教学中也能给出有依据的回答。"
)

LETTERS = {
    "A": (A, A_REWORDED, A_OWN, False),
    "B": (B, B_REWORDED, B_OWN, False),
    "C": (C, C_REWORDED, C_OWN, True),
    "D": (D, D_REWORDED, D_OWN, True),
}
GREETINGS = {
    False: [
        "Dear Biosafety Office,",
        "To the National Authority,",
        "Hello,",
        "Dear Madam, dear Sir,",
    ],
    True: ["尊敬的生物安全办公室：", "国家主管部门：", "您好！", "各位专家："],
}
SIGNATURES = {
    False: [
        "Sincerely, Joan Okello",
        "Regards,\nMarta Silva",
        "Ahmed Hassan",
        "Best wishes, Tomás",
    ],
    True: ["此致\n敬礼\n刘洋", "陈静 敬上", "谢谢！王磊", "赵敏"],
}


def _letter(greeting, sentences, signature, zh):
    joiner = "" if zh else " "
    return "\n".join(part for part in (greeting, joiner.join(sentences), signature) if part)


def copies(name):
    """The letter as its campaign sent it, then copies with one kind of edit each, and a few
    with several edits at once."""
    sentences, reworded, own, zh = LETTERS[name]
    g, s = GREETINGS[zh], SIGNATURES[zh]
    joiner = "" if zh else " "

    def reword(keys):
        return [reworded.get(i, x) if i in keys else x for i, x in enumerate(sentences)]

    half = sentences[: (len(sentences) + 1) // 2]
    return {
        "original": _letter(g[0], sentences, s[0], zh),
        "exact": _letter(g[0], sentences, s[0], zh),
        "greeting": _letter(g[1], sentences, s[1], zh),
        "no greeting": joiner.join(sentences),
        "paragraph": _letter(g[2], [*sentences[:-1], "\n" + own + "\n", sentences[-1]], s[2], zh),
        "paragraph first": own + "\n" + _letter(g[3], sentences, s[3], zh),
        "removed": _letter(g[1], sentences[:2] + sentences[3:], s[0], zh),
        "two removed": _letter(
            g[2], [x for i, x in enumerate(sentences) if i not in (1, 4)], s[1], zh
        ),
        "reworded": _letter(g[0], reword({1, 4, 5, 6}), s[2], zh),
        "all reworded": _letter(g[3], reword(set(reworded)), s[3], zh),
        "shortened": _letter(g[2], half, s[1], zh),
        # Half the letter with one of its sentences in the sender's words. With two of its
        # four reworded, two of the letter's seven sentences would be left as written: no
        # longer told apart from a comment quoting two sentences, and not asked of the grouping.
        "shortened reworded": _letter(g[1], reword({1})[: len(half)], s[0], zh),
        "mixed": _letter(g[3], [x for i, x in enumerate(reword({5})) if i != 2] + [own], s[2], zh),
    }


INDIVIDUAL = [
    # Independent comments on the same subjects, with the subjects' own words.
    "Gene-drive mosquitoes could save many lives, and the dossier's modelling of how far the "
    "drive spreads looks careful to me. I would like the authority to publish the entomologists' "
    "review and to say which neighbouring countries were notified under the Protocol.",
    "The release sites are close to the lake, where fishing communities move between countries "
    "every week. Monitoring should follow them, and consent should be asked village by village.",
    "I import rice for a living. Labelling LL62 rice is reasonable, but the testing at the port "
    "is already slow, and a public laboratory with a published fee would help traders plan.",
    "Rice LL62 was never grown here, so the risk is about food safety, not the environment. "
    "The authority should explain what the applicant's feeding studies showed.",
    "转基因大豆进口主要用于榨油和饲料。我认为应当重点关注港口洒落种子的问题，"
    "建议海关与农业部门联合开展抽查，并把结果告诉附近的村民。",
    "我支持基因编辑技术的发展，但是管理办法中关于标识的规定不够具体，"
    "应当说明标识的字体大小和位置，还要规定网上销售的产品如何标识。",
    "大豆进口对国内豆农的收入影响很大，希望在做决定时也考虑社会经济因素，"
    "这是议定书第二十六条允许的。",
    "基因编辑作物是否需要安全评价，应当看编辑的性状和用途，而不是一律要求，"
    "否则小型研究机构很难负担评价费用。",
    # One-sentence quotes of a letter, alone or in a comment of one's own.
    A[1],
    "The campaign letter says that " + B[2][0].lower() + B[2][1:-1] + ", and I agree; nothing "
    "else in it convinces me, since the rice is only imported for food and the labels already "
    "exist.",
    C[2],
    "我同意" + D[3] + "其他的意见我并不赞同，安全评价应当按风险分级进行。",
]


def corpus():
    """The comments in the order they arrive: the letters' copies interleaved (as campaigns
    run side by side), individual comments among them."""
    streams = [[(body, name) for body in copies(name).values()] for name in LETTERS]
    arrived = []
    singles = [(body, None) for body in INDIVIDUAL]
    while any(streams):
        for stream in streams:
            if stream:
                arrived.append(stream.pop(0))
        if singles:
            arrived.append(singles.pop(0))
    return arrived + singles
