"""The store's words for the core's codes (roles, statuses, grades, tiers, services...),
in every language Orchard ships: one catalogue that the screens and the printed documents
both read, so a thing has one name on the counter and on the paper.

``TERMS[kind][code]`` is ``{"en": ..., "zh_CN": ...}``.  A code can mean different things
in different places ("phone": a kind of device, a booking source, a way to contact the
customer), so a kind can be named; without one, the first kind (in catalogue order) that
knows the code answers.  English is the fallback for a language that lacks the term, and
an unknown code reads as itself with spaces ("walk_in" -> "walk in"), never as nothing.

The GUI's own chrome (buttons, headings) is not here: it lives in Qt's .ts files.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh_CN")


def _kind(pairs: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    return {code: {"en": en, "zh_CN": zh} for code, (en, zh) in pairs.items()}


# Catalogue order is the lookup order when no kind is named: the commoner meaning first.
TERMS: dict[str, dict[str, dict[str, str]]] = {
    "role": _kind({
        "associate": ("associate", "店员"), "technician": ("technician", "技术员"),
        "manager": ("manager", "店长"), "admin": ("admin", "管理员"),
    }),
    "ticket_status": _kind({
        "new": ("new", "新建"), "diagnosing": ("diagnosing", "检测中"),
        "awaiting_approval": ("awaiting approval", "待客户确认"), "awaiting_parts": ("awaiting parts", "待配件"),
        "in_repair": ("in repair", "维修中"), "quality_check": ("quality check", "质检中"),
        "ready": ("ready for pickup", "待取机"), "collected": ("collected", "已取机"),
        "cancelled": ("cancelled", "已取消"), "unrepairable": ("unrepairable", "无法维修"),
    }),
    "appointment_status": _kind({
        "booked": ("booked", "已预约"), "checked_in": ("checked in", "已签到"), "in_service": ("in service", "服务中"),
        "completed": ("completed", "已完成"), "no_show": ("no-show", "未到店"), "cancelled": ("cancelled", "已取消"),
    }),
    "appointment_source": _kind({
        "walk_in": ("walk-in", "临时到店"), "online": ("online", "线上"), "counter": ("counter", "柜台"),
        "phone": ("phone", "电话"),
    }),
    "tradein_status": _kind({
        "quoted": ("quoted", "已估价"), "accepted": ("accepted", "已成交"), "declined": ("declined", "已拒绝"),
        "expired": ("expired", "已过期"), "requoted": ("re-quoted", "已重新估价"), "received": ("received", "已收机"),
    }),
    "grade": _kind({
        "like_new": ("like new", "近全新"), "good": ("good", "良好"), "fair": ("fair", "一般"),
        "damaged": ("damaged", "有损坏"), "unusable": ("unusable", "无法使用"),
    }),
    # answers to the intake checklist and the trade-in questions
    "answer": _kind({
        "yes": ("yes", "是"), "no": ("no", "否"), "on": ("on", "开启"), "off": ("off", "关闭"),
        "ok": ("OK", "正常"), "scratched": ("scratched", "有划痕"), "worn": ("worn", "有磨损"),
        "dented": ("dented", "有磕碰"), "faulty": ("faulty", "故障"), "clear": ("clear", "未触发"),
        "tripped": ("tripped", "已触发"), "not_visible": ("not visible", "无法查看"),
        "flawless": ("flawless", "完好无瑕"), "light_scratches": ("light scratches", "轻微划痕"),
        "deep_scratches": ("deep scratches", "明显划痕"), "dead_pixels_or_burn_in": ("dead pixels or burn-in", "坏点或烧屏"),
        "cracked": ("cracked", "碎裂"), "light_wear": ("light wear", "轻微磨损"), "dents": ("dents", "有磕碰"),
        "cracked_or_bent": ("cracked or bent", "碎裂或弯曲"), "all_work": ("all work", "全部正常"),
        "one_fault": ("one fault", "一处故障"), "several_faults": ("several faults", "多处故障"),
        "does_not_hold_charge": ("does not hold a charge", "无法蓄电"), "lens_scratched": ("lens scratched", "镜头有划痕"),
        "loose": ("loose", "松动"), "not_working": ("not working", "不能使用"), "works": ("works", "正常"),
        "none_fitted": ("none fitted", "未安装"),
    }),
    "payout": _kind({
        "store_credit": ("store credit", "店内抵用金"), "voucher": ("voucher", "代金券"),
        "purchase": ("towards a purchase", "抵扣购物款"),
    }),
    "tier": _kind({"silver": ("Silver", "银卡"), "gold": ("Gold", "金卡"), "platinum": ("Platinum", "白金卡")}),
    "loyalty_entry": _kind({
        "earn": ("Earned", "获得积分"), "bonus": ("Bonus", "奖励积分"), "redeem": ("Redeemed", "兑换积分"),
        "expire": ("Expired", "过期积分"), "adjust": ("Adjusted", "调整"),
    }),
    "warranty_decision": _kind({
        "in_warranty": ("in warranty: covered parts and labour free", "保修期内：保修范围内的配件和工时免费"),
        "coverage": ("accident coverage: covered parts and labour free", "意外保障：保障范围内的配件和工时免费"),
        "chargeable": ("chargeable", "收费维修"),
    }),
    "approval": _kind({"approved": ("approved", "已同意"), "refused": ("refused", "已拒绝")}),
    "payment_status": _kind({
        "paid": ("Paid", "已付款"), "invoiced": ("Invoiced", "已开票"), "no_charge": ("No charge", "免费"),
        "unpaid": ("Not paid yet", "未付款"),
    }),
    "part_state": _kind({
        "quoted": ("quoted", "已报价"), "reserved": ("reserved", "已预留"), "consumed": ("fitted", "已安装"), "released": ("returned to stock", "已退回库存"),
        "covered": ("covered", "保修内"),
    }),
    # how the customer wants to hear from us
    "contact": _kind({"sms": ("Text message", "短信"), "phone": ("Phone call", "电话"), "email": ("E-mail", "电子邮件")}),
    # how a consent was given
    "consent_channel": _kind({
        "in_store": ("in store", "门店"), "phone": ("by phone", "电话"), "online": ("online", "线上"),
        "paper": ("on paper", "纸质"),
    }),
    # how the customer approved a quote
    "approval_channel": _kind({
        "in_store": ("in the store", "到店当面"), "phone": ("by phone", "电话"), "sms": ("by text message", "短信"),
        "email": ("by e-mail", "电子邮件"), "limit": ("within the approval limit", "在授权额度内"),
    }),
    "consent_purpose": _kind({
        "marketing_sms": ("Marketing by SMS", "短信营销"), "marketing_email": ("Marketing by email", "电子邮件营销"),
        "hq_transfer": ("Sharing with headquarters", "与总部共享"), "loyalty": ("Loyalty programme", "会员计划"),
    }),
    "device_kind": _kind({
        "phone": ("Phone", "手机"), "tablet": ("Tablet", "平板电脑"), "laptop": ("Laptop", "笔记本电脑"),
        "watch": ("Watch", "手表"),
    }),
    "blocklist_reason": _kind({"stolen": ("stolen", "被盗"), "lost": ("lost", "丢失"), "unpaid": ("unpaid", "欠费")}),
    "feedback_category": _kind({
        "repair_delay": ("Repair delay", "维修延误"), "pricing": ("Pricing", "价格"), "staff_conduct": ("Staff", "员工服务"),
        "product_quality": ("Product quality", "产品质量"), "booking": ("Booking", "预约"),
    }),
    "feedback_about": _kind({"ticket": ("Repair", "维修"), "appointment": ("Appointment", "预约")}),
    "feedback_status": _kind({"open": ("Open", "未处理"), "resolved": ("Resolved", "已解决")}),
    "language": _kind({"en": ("English", "英语"), "zh_CN": ("Chinese", "中文")}),
    # loyalty: a point per full unit of the store's currency
    "currency_unit": _kind({
        "CNY": ("yuan", "元"), "USD": ("dollar", "美元"), "EUR": ("euro", "欧元"), "GBP": ("pound", "英镑"),
        "HKD": ("dollar", "港元"),
    }),
    "service": _kind({
        "screen_repair": ("Screen repair", "屏幕维修"), "battery": ("Battery replacement", "更换电池"),
        "diagnosis": ("Diagnosis", "检测"), "setup_help": ("Setup help", "设置协助"),
        "data_transfer": ("Data transfer", "数据迁移"), "board_repair": ("Logic board repair", "主板维修"),
        "laptop_repair": ("Laptop repair", "笔记本维修"),
    }),
    # the steps of a trade-in valuation
    "quote_step": _kind({
        "base": ("Base value", "基础价"), "age": ("Age adjustment", "机龄调整"), "battery": ("Battery adjustment", "电池调整"),
        "rounding": ("Rounding", "取整"), "promotion": ("Promotion", "促销"),
    }),
    # the intake checklist and the quality check before pickup
    "intake_check": _kind({
        "screen": ("Screen", "屏幕"), "body": ("Body", "机身"), "buttons": ("Buttons", "按键"), "cameras": ("Cameras", "摄像头"),
        "liquid_indicator": ("Liquid indicator", "进水标签"), "powers_on": ("Powers on", "开机"),
        "housing": ("Housing", "外壳"), "photos": ("Photos", "照片"),
    }),
    "qc_check": _kind({
        "powers_on": ("Powers on and boots", "能开机并正常启动"), "display": ("Display", "显示"), "touch": ("Touch", "触控"),
        "cameras": ("Cameras", "摄像头"), "buttons": ("Buttons", "按键"), "charging": ("Charging", "充电"),
        "speakers": ("Speakers and microphone", "扬声器和麦克风"),
        "connectivity": ("Wi-Fi, Bluetooth, cellular", "Wi-Fi、蓝牙、蜂窝网络"),
        "biometrics": ("Face ID / Touch ID", "面容 ID / 触控 ID"),
    }),
    # a customer's data export: its sections and the fields of its records
    "export_section": _kind({
        "profile": ("Profile", "基本资料"), "consents": ("Consents", "授权同意"), "devices": ("Devices", "设备"),
        "purchases": ("Purchases", "购买记录"), "notes": ("Notes by staff", "员工备注"), "tickets": ("Repair tickets", "维修单"),
        "appointments": ("Appointments", "预约"), "tradeins": ("Trade-in quotes", "以旧换新估价"),
        "loyalty": ("Loyalty membership", "会员资格"), "loyalty_entries": ("Points ledger", "积分明细"),
        "surveys": ("Surveys", "问卷"), "feedback": ("Feedback", "意见反馈"),
    }),
    "export_field": _kind({
        "display_name": ("Name", "姓名"), "given_name": ("Given name", "名"), "family_name": ("Family name", "姓"),
        "phone": ("Phone", "电话"), "email": ("Email", "电子邮箱"), "address": ("Address", "地址"),
        "language": ("Language", "语言"), "birth_date": ("Date of birth", "出生日期"), "created_at": ("Created", "创建时间"),
        "updated_at": ("Last changed", "最近修改"), "purpose": ("Purpose", "用途"), "granted": ("Granted", "同意"),
        "notice_version": ("Notice", "告知版本"), "channel": ("Channel", "渠道"), "at": ("When", "时间"),
        "staff": ("Staff", "员工"), "kind": ("Kind", "类型"), "model": ("Model", "型号"), "serial": ("Serial", "序列号"),
        "imei": ("IMEI", "IMEI"), "purchase_date": ("Bought", "购买日期"), "warranty_end": ("Warranty until", "保修截止"),
        "coverage_end": ("Coverage until", "延保截止"), "description": ("Description", "描述"), "sku": ("SKU", "商品编号"),
        "total_cents": ("Total", "金额"), "text": ("Text", "内容"), "number": ("Number", "单号"), "status": ("Status", "状态"),
        "reported_fault": ("Fault", "故障"), "diagnosis": ("Diagnosis", "检测结果"), "quote_cents": ("Quote", "报价"),
        "warranty_decision": ("Warranty", "保修"), "collected_at": ("Collected", "取机时间"), "device": ("Device", "设备"),
        "signature_on_file": ("Signature on file", "存有签名"), "starts_at": ("Starts", "开始时间"),
        "source": ("Source", "来源"), "service": ("Service", "服务"), "technician": ("Technician", "技术员"),
        "grade": ("Grade", "成色"), "value_cents": ("Value", "金额"), "payout": ("Payout", "支付方式"),
        "member_number": ("Member number", "会员号"), "tier": ("Tier", "等级"), "enrolled_at": ("Enrolled", "入会时间"),
        "terms_version": ("Terms", "条款版本"), "active": ("Active", "有效"), "balance": ("Balance", "余额"),
        "points": ("Points", "积分"), "reason": ("Reason", "原因"), "spend_cents": ("Spend", "消费"), "nps": ("NPS", "NPS"),
        "csat": ("CSAT", "满意度"), "comment": ("Comment", "留言"), "category": ("Category", "类别"), "due_at": ("Due", "截止时间"),
    }),
}


def find(code: str, kind: str | None = None) -> dict[str, str] | None:
    """The catalogue entry for ``code`` (in ``kind`` when named, else the first kind that has it)."""
    if kind is not None and code in TERMS.get(kind, {}):
        return TERMS[kind][code]
    return next((terms[code] for terms in TERMS.values() if code in terms), None)


def term(code: object, lang: str, kind: str | None = None) -> str:

    """The word for ``code`` in ``lang``. A kind that lacks the code falls back to the
    code's commonest meaning; a language that lacks the term to English; an unknown code
    to itself with spaces."""
    if code is None or code == "":
        return ""
    code = str(code)
    entry = find(code, kind)
    if entry is None:
        return code.replace("_", " ")
    return entry.get(lang) or entry["en"]
