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

from collections.abc import Iterable

from core import formatting

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
    "contact": _kind({"sms": ("Text message", "短信"), "phone": ("Phone call", "电话"), "email": ("E-mail", "电子邮件"),
                      "none": ("No contact", "不联系")}),
    # messages to customers (core.messages): what each is, and how its delivery went
    "message_kind": _kind({
        "appointment_confirmed": ("Appointment confirmed", "预约确认"),
        "appointment_changed": ("Appointment changed", "预约变更"),
        "appointment_cancelled": ("Appointment cancelled", "预约取消"),
        "appointment_reminder": ("Appointment reminder", "预约提醒"),
        "repair_received": ("Repair received", "已收到维修设备"), "approval_needed": ("Approval needed", "待确认报价"),
        "ready_for_pickup": ("Ready for pickup", "可以取机"), "still_waiting": ("Still waiting for pickup", "待取机提醒"),
        "tradein_expiring": ("Trade-in quote expiring", "以旧换新报价即将到期"),
        "points_expiring": ("Points expiring", "积分即将过期"), "survey_invitation": ("Survey invitation", "问卷邀请"),
    }),
    "message_status": _kind({
        "queued": ("Queued", "排队中"), "sent": ("Sent", "已发送"), "delivered": ("Delivered", "已送达"),
        "failed": ("Not delivered", "发送失败"), "suppressed": ("Not sent", "未发送"), "cancelled": ("Cancelled", "已撤销"),
    }),
    # why a message waits, failed or was not sent (HQ's status_reason; the store's when it cancels)
    "message_reason": _kind({
        "no_address": ("no phone number or e-mail address on file", "没有可用的手机号或邮箱"),
        "gateway_error": ("the SMS gateway refused it", "短信网关未能发送"),
        "smtp_error": ("the mail server refused it", "邮件服务器未能发送"),
        "quiet_hours": ("quiet hours, waits until morning", "免打扰时段，早上再发"),
        "opted_out": ("the customer unsubscribed", "顾客已退订"),
        "no_consent": ("no marketing consent", "没有营销许可"),
        "retrying": ("retrying after an error", "出错后重试中"),
        "no_contact": ("the customer asked not to be contacted", "顾客要求不联系"),
        "customer_erased": ("the customer's data was erased", "顾客资料已删除"),
        "appointment_moved": ("the appointment was moved or cancelled", "预约已改期或取消"),
        "collected": ("the device was collected", "设备已取走"),
        "quote_answered": ("the quote was answered", "报价已答复"),
        "no_longer_needed": ("no longer needed", "已不需要"),
        "recipient_refused": ("the address or number was refused", "对方地址或号码被拒收"),
        "not_configured": ("HQ has no mail server or SMS gateway set up", "总部未配置邮件服务器或短信网关"),
        "template_error": ("the message template has an error", "消息模板有误"),
        "invalid_request": ("the request was incomplete", "请求信息不完整"),
        "interrupted": ("sending was interrupted; not sent again", "发送中断，未再重发"),
        "sender_error": ("the sender failed", "发送程序出错"),
        "undelivered": ("the phone or mailbox did not accept it", "未能送达对方"),
    }),
    # how a consent was given
    "consent_channel": _kind({
        "in_store": ("in store", "门店"), "phone": ("by phone", "电话"), "online": ("online", "线上"),
        "paper": ("on paper", "纸质"),
        # issue 22: an opt-out by the unsubscribe link in an e-mail, or by replying STOP / TD to a text
        "link": ("by the unsubscribe link", "通过退订链接"), "sms_reply": ("by text reply", "短信回复退订"),
    }),
    # how the customer approved a quote
    "approval_channel": _kind({
        "link": ("by a link in a message", "通过消息中的链接"),
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
    # the customer's voice (core.care): a complaint's category, severity, channel and state,
    # the calls a manager owes, how they ended, where a survey was answered
    "feedback_category": _kind({
        "product": ("Product", "产品"), "service": ("Service", "服务"), "technical": ("Technical", "技术"),
        "billing": ("Billing", "收费"), "privacy": ("Privacy", "隐私"),
    }),
    "complaint_severity": _kind({"minor": ("Minor", "轻微"), "moderate": ("Moderate", "一般"), "major": ("Major", "重大")}),
    "feedback_channel": _kind({
        "counter": ("At the counter", "柜台"), "phone": ("By phone", "电话"), "email": ("By e-mail", "电子邮件"),
        "survey": ("Survey answer", "问卷回答"), "hq": ("From HQ", "总部转来"),
    }),
    "feedback_about": _kind({"ticket": ("Repair", "维修"), "appointment": ("Appointment", "预约")}),
    "feedback_status": _kind({"open": ("Open", "未处理"), "resolved": ("Resolved", "已解决"),
                              "closed": ("Closed", "已结")}),
    "care_task": _kind({"detractor_call": ("Call after a low survey answer", "低分问卷回访"),
                        "follow_up_call": ("Follow-up call", "结案回访")}),
    "care_outcome": _kind({"satisfied": ("Satisfied", "满意"), "not_satisfied": ("Not satisfied", "不满意"),
                           "unreachable": ("Unreachable", "联系不上")}),
    "survey_channel": _kind({"display": ("Customer display", "客户显示屏"), "receipt": ("Receipt QR code", "小票二维码")}),
    # HQ's console roles, as a store reads who answered an escalation (never a name)
    "hq_role": _kind({
        "admin": ("head office", "总部"), "regional": ("regional manager", "区域经理"),
        "pricing": ("pricing", "定价"), "loyalty": ("loyalty team", "会员团队"), "auditor": ("auditor", "审计"),
    }),
    "escalation_state": _kind({
        "new": ("Sent to the region", "已上报区域"), "acknowledged": ("Acknowledged", "已受理"),
        "in_progress": ("In progress", "处理中"), "resolved": ("Resolved by the region", "区域已解决"),
        "returned": ("Returned to the store", "已退回门店"),
    }),
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
        "complaint_notes": ("Notes on complaints", "投诉备注"), "care_calls": ("Care calls", "回访电话"),
        "survey_invitations": ("Survey invitations", "问卷邀请"),
        "messages": ("Messages to the customer", "发给顾客的消息"),
        # rows HQ holds about a customer that the store's own export has no section for (HQ's export counts them)
        "ticket_history": ("Repair ticket history", "维修单历史记录"),
        "ticket_parts": ("Parts on repair tickets", "维修单配件"), "walk_ins": ("Walk-ins", "临时到店"),
        # issue 23: the scores HQ computed for the customer, and what staff did with suggestions
        "scores": ("Customer value and scores", "客户价值与评分"),
        "action_outcomes": ("Suggestions made to the customer", "向顾客提出的建议"),
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
        "survey_channel": ("Channel", "渠道"), "severity": ("Severity", "严重程度"), "opened_at": ("Opened on", "开立时间"),
        "resolved_at": ("Resolved", "解决时间"), "resolution": ("Resolution", "处理结果"), "call": ("Call", "电话"),
        "outcome": ("Outcome", "结果"), "done_at": ("Done on", "完成时间"), "note": ("Note", "备注"),
        "complaint_opened_at": ("Complaint opened", "投诉开立时间"),
        "segment": ("Segment", "客户分群"), "value_band": ("Value band", "价值等级"),
        "recency": ("Recency (1–5)", "最近消费（1–5）"), "frequency": ("Frequency (1–5)", "消费频率（1–5）"),
        "monetary": ("Spend (1–5)", "消费金额（1–5）"), "visits": ("Visits", "到店次数"),
        "last_visit_at": ("Last visit", "最近到店"), "historic_cents": ("Value to date", "累计价值"),
        "predicted_cents": ("Next 12 months", "未来12个月预测"), "churn_score": ("Churn risk", "流失风险"),
        "churn_reasons": ("Reasons", "原因"), "computed_at": ("Computed", "计算时间"),
        "action": ("Suggestion", "建议"), "action_outcome": ("Outcome", "结果"),
    }),
    # the audit trail's actions (core.audit.record), as the audit screen and its export name them;
    # an action not listed reads as its code (core.audit_log.action_name)
    "audit_action": _kind({
        "customer.view": ("Customer viewed", "查看客户"), "customer.create": ("Customer created", "新建客户"),
        "customer.update": ("Customer changed", "修改客户"), "customer.erase": ("Customer erased", "删除客户数据"),
        "customer.export": ("Customer data exported", "导出客户数据"), "customer.merge": ("Customers merged", "合并客户"),
        "customer.merged_away": ("Customer merged into another", "客户已并入其他档案"),
        "customer.note": ("Note added", "添加备注"),
        "complaint.open": ("Complaint opened", "登记投诉"), "complaint.classify": ("Complaint classified", "投诉分类"),
        "complaint.note": ("Complaint note added", "投诉添加备注"), "complaint.resolve": ("Complaint resolved", "投诉已解决"),
        "complaint.escalate": ("Complaint escalated", "投诉已上报"), "care.call": ("Customer call recorded", "记录回访"),
        "survey.answer": ("Survey answered", "问卷已回答"), "survey.invite": ("Survey invitation printed", "打印问卷邀请"), "customer.fetch_from_hq": ("Customer fetched from HQ", "从总部调取客户"),
        "consent.grant": ("Consent given", "同意授权"), "consent.withdraw": ("Consent withdrawn", "撤回授权"),
        "sign_in.failed": ("Sign-in failed", "登录失败"),
        "sign_in.locked": ("Sign-in locked", "登录已锁定"), "sign_in.unlocked": ("Sign-in unlocked", "登录已解锁"),
        "staff.created": ("Staff member added", "添加员工"), "staff.skills": ("Staff skills changed", "修改员工技能"),
        "appointment.book": ("Appointment booked", "预约"), "appointment.cancel": ("Appointment cancelled", "取消预约"),
        "appointment.check_in": ("Appointment checked in", "预约签到"),
        "appointment.reschedule": ("Appointment moved", "改约"), "appointment.no_show": ("Marked no-show", "标记未到店"),
        "ticket.identity": ("Identity checked at pickup", "取机核验身份"),
        "ticket.passcode_view": ("Device passcode viewed", "查看设备密码"),
        "ticket.payment_recorded": ("Payment recorded", "记录付款"), "ticket.payment_voided": ("Payment voided", "作废付款"),
        "ticket.pickup_voided": ("Pickup voided", "作废取机"),
        "tradein.accept": ("Trade-in accepted", "回收成交"), "tradein.decline": ("Trade-in declined", "回收被拒"),
        "tradein.refused": ("Trade-in refused", "拒绝回收"), "tradein.blocklist_hit": ("Device on the blocklist", "设备在黑名单中"),
        "loyalty.enrol": ("Loyalty member enrolled", "会员入会"), "loyalty.earn": ("Points earned", "获得积分"),
        "loyalty.redeem": ("Points redeemed", "兑换积分"), "loyalty.adjust": ("Points adjusted", "调整积分"),
        "marketing.list": ("Marketing list made", "生成营销名单"), "report.day": ("Day report", "日报"),
        "report.cli": ("Report written from the command line", "通过命令行生成报表"),
        "settings.idle_minutes": ("Idle lock changed", "修改自动锁定"), "sync.enrol": ("Enrolled with HQ", "注册到总部"),
        "audit.export": ("Audit trail exported", "导出审计记录"),
        "audit.epoch_start": ("New audit epoch declared", "宣布新的审计周期"),
        "vault.rotated": ("Database key changed", "更换数据库密钥"),
        "vault.recovered": ("Database key recovered", "已找回数据库密钥"),
        "vault.recovery_key_set": ("Recovery key made", "生成恢复密钥"),
        "staff.admin_reset": ("Admin password reset", "重置管理员密码"),
        "staff.admin_reset_refused": ("Admin password reset refused", "拒绝重置管理员密码"),
        "sign_in.ok": ("Signed in", "已登录系统"), "staff.pin_set": ("PIN set", "设置 PIN"),
        "staff.pin_removed": ("PIN removed", "移除 PIN"), "staff.password_set": ("Password set", "设置密码"),
        "staff.role_changed": ("Role changed", "更改角色"), "staff.deactivated": ("Staff member deactivated", "停用员工"),
        "staff.reactivated": ("Staff member reactivated", "重新启用员工"), "store.created": ("Store set up", "建立门店"),
        "appointment.start": ("Service started", "开始服务"), "appointment.complete": ("Service finished", "服务已完成"),
        "walk_in.add": ("Walk-in added", "添加临时到店顾客"), "walk_in.call": ("Walk-in called", "叫号"),
        "walk_in.assign": ("Walk-in assigned", "指派临时到店顾客"), "walk_in.left": ("Walk-in left", "临时到店顾客已离开"),
        "rota.template": ("Weekly rota changed", "修改每周排班"), "rota.exception": ("Rota exception added", "添加排班例外"),
        "rota.exception_removed": ("Rota exception removed", "移除排班例外"),
        "service_type.save": ("Service type saved", "保存服务类型"), "stock.receive": ("Parts received", "配件入库"),
        "ticket.open": ("Ticket opened", "开立工单"), "ticket.view": ("Ticket viewed", "查看工单"),
        "ticket.assign": ("Ticket assigned", "指派工单"), "ticket.rework": ("Rework ticket opened", "开立返修工单"),
        "ticket.returned": ("Device returned unrepaired", "设备未修退回"),
        "ticket.link_answer": ("Customer's answer by link applied", "已处理顾客通过链接的答复"),
        "tradein.new": ("Trade-in started", "开始回收估价"), "tradein.quote": ("Trade-in quoted", "回收报价"),
        "tradein.requote": ("Trade-in quoted again", "重新回收报价"), "tradein.view": ("Trade-in viewed", "查看回收单"),
        "loyalty.view": ("Loyalty account viewed", "查看会员账户"), "loyalty.enrol_form": ("Enrolment form opened", "打开入会表单"),
        "loyalty.card": ("Member card printed", "打印会员卡"), "loyalty.bonus": ("Bonus points", "奖励积分"),
        "loyalty.expire": ("Points expiry run", "执行积分过期"), "loyalty.review_tiers": ("Tiers reviewed", "复核会员等级"),
        "loyalty.rules": ("Loyalty rules changed", "修改会员规则"),
        "report.service": ("Service report printed", "打印维修报告"), "report.intake": ("Intake receipt printed", "打印收机单"),
        "report.label": ("Device label printed", "打印设备标签"), "report.tradein": ("Trade-in receipt printed", "打印回收单据"),
        "report.member_card": ("Member card printed", "打印会员卡"), "report.loyalty": ("Loyalty report", "会员报表"),
        "settings.tax": ("Tax rule changed", "修改税率规则"), "settings.appointments": ("Appointment settings changed", "修改预约设置"),
        "settings.messages": ("Customer message settings changed", "修改顾客消息设置"),
        "sync.retry_parked": ("Parked changes sent again", "重新发送搁置的更改"),
        "crm.action": ("Suggestion answered", "已处理推荐行动"),
        "crm.list_export": ("Marketing list exported", "导出营销名单"),
    }),
    # the kinds of record an audit entry names (AuditEvent.entity), on the audit screen
    "audit_record": _kind({
        "customer": ("Customer profile", "客户档案"), "repair_ticket": ("Ticket", "工单"),
        "appointment": ("Appointment", "预约"), "tradein_quote": ("Quote", "报价"),
        "loyalty_account": ("Loyalty account", "会员账户"), "walk_in": ("Walk-in", "临时到店顾客"),
        "staff": ("Staff member", "员工"), "store": ("Store", "门店"), "store_db": ("Store database", "门店数据库"),
    }),
    # why HQ refused a store's change (core.sync.merge.REASONS): the sync screen and the HQ console
    "sync_refusal": _kind({
        "not_owner": ("belongs to another store", "属于其他门店"),
        "reference_data": ("reference data is published by HQ", "基础数据由总部发布"),
        "insert_only": ("loyalty entries cannot be changed", "积分记录不可更改"),
        "customer_erased": ("the customer was erased", "该客户的资料已删除"),
        "not_served": ("this store does not serve the customer; fetch them first", "本店未服务该客户；请先从总部调取"),
        "not_allowed": ("the staff member's role may not erase customers", "该员工的角色无权删除客户"),
        "clock_ahead": ("this computer's clock is far ahead", "本机时钟超前过多"),
        "unknown_entity": ("HQ does not know this kind of record", "总部无法识别此类记录"),
        "unknown_field": ("HQ does not know a field", "总部无法识别某个字段"),
        "invalid_value": ("a value is not valid", "某个值无效"),
        "missing_field": ("a required value is missing", "缺少必填项"),
        "bad_operation": ("malformed change", "更改格式有误"),
    }),
    # issue 23 (core.crm): RFM segments, value bands, churn reasons and next best actions.
    # Reasons and "why" lines are templates: core.crm formats them with their numbers.
    "segment": _kind({
        "champions": ("Champions", "冠军客户"), "loyal": ("Loyal", "忠诚客户"),
        "potential": ("Potential loyalists", "潜力客户"), "new": ("New customers", "新客户"),
        "promising": ("Promising", "有望客户"), "needs_attention": ("Needs attention", "需要关注"),
        "at_risk": ("At risk", "有流失风险"), "cant_lose": ("Can't lose them", "不能失去"),
        "hibernating": ("Hibernating", "休眠客户"), "lost": ("Lost", "已流失"),
        "none": ("No purchases yet", "暂无消费"),
    }),
    "value_band": _kind({
        "top": ("Top value", "最高价值"), "high": ("High value", "高价值"),
        "mid": ("Medium value", "中等价值"), "low": ("Low value", "低价值"),
    }),
    "churn_reason": _kind({
        "no_visit": ("No visit for {months} months, usually every {usual}", "已 {months} 个月未到店，平时每 {usual} 个月一次"),
        "no_visit_once": ("No visit for {months} months", "已 {months} 个月未到店"),
        "complaints": ("{count} complaints in {days} days", "{days} 天内投诉 {count} 次"),
        "points_expiring": ("{points} points expiring, none redeemed", "{points} 积分即将过期，从未兑换"),
        "activity_falling": ("Visits down from {before} to {now} a year", "每年到店次数从 {before} 次降至 {now} 次"),
    }),
    "next_action": _kind({
        "battery_service": ("Battery service", "电池保养服务"), "warranty_ending": ("Warranty ending", "保修即将到期"),
        "tradein_upgrade": ("Upgrade with a trade-in", "以旧换新升级"),
        "accessory": ("Accessory for a new device", "新设备配件"),
        "complaint_followup": ("Complaint follow-up", "投诉回访"),
    }),
    "next_action_why": _kind({
        "battery_service": ("{device} is {years} years old", "{device} 已使用 {years} 年"),
        "warranty_ending": ("{device}: warranty ends {date}", "{device}：保修于 {date} 到期"),
        "tradein_upgrade": ("{device} is worth up to {value} towards an upgrade", "{device} 最高可抵 {value} 用于升级"),
        "accessory": ("Bought {device} on {date}", "{date} 购买了 {device}"),
        "complaint_followup": ("Follow-up call due {date}", "回访电话应于 {date} 前完成"),
    }),
    "action_outcome": _kind({
        "accepted": ("accepted", "已接受"), "dismissed": ("dismissed", "已忽略"),
    }),
    # what a technician can do (Staff.skills) and a service type needs (ServiceType.required_skill);
    # last, so that a bare "screen" or "battery" keeps its commoner meaning
    "skill": _kind({
        "screen": ("Displays", "屏幕"), "battery": ("Batteries", "电池"), "board": ("Logic boards", "主板"),
        "laptop": ("Laptops", "笔记本电脑"), "setup": ("Setup and data", "设置与数据"),
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


def skill_name(code: str, lang: str) -> str:
    """A skill in ``lang``: a known one in the catalogue's words, a store's own as typed."""
    entry = TERMS["skill"].get(code)
    return code if entry is None else entry.get(lang) or entry["en"]


def skills_text(codes: Iterable[str], lang: str) -> str:
    """Several skills in ``lang``, in the language's list style (", " or "、")."""
    return _LIST_SEPARATOR.get(lang, _LIST_SEPARATOR["en"]).join(skill_name(c, lang) for c in codes)


def service_name(name: str, lang: str, code: str | None = None) -> str:
    """A service type's name in ``lang``: the store names its services itself, so a built-in
    one (its code in the catalogue, its name still the catalogue's English) reads in the
    catalogue's words, and a service the store named or renamed reads as typed. Without a
    code, the name alone says whether it is a built-in one."""
    services = TERMS["service"]
    if code is not None:
        entry = services.get(code)
        return (entry.get(lang) or entry["en"]) if entry is not None and entry["en"] == name else name
    entry = next((e for e in services.values() if e["en"] == name), None)
    return name if entry is None else entry.get(lang) or entry["en"]


# a clock refusal with the hours the store's clock ran ahead
_HOURS_AHEAD = {"en": "{0} ({1} h)", "zh_CN": "{0}（{1} 小时）"}


def sync_refusal(text: str | None, lang: str) -> str:
    """Why HQ refused a change, in ``lang``: HQ records a code and a detail that names no
    value ("clock_ahead: 14", the hours ahead); only the code and that number are worded."""
    code, _, detail = (text or "").partition(":")
    code = code.strip()
    words = term(code, lang, "sync_refusal") if code in TERMS["sync_refusal"] else code.replace("_", " ")
    hours = detail.split()[0] if detail.split() else ""
    if code == "clock_ahead" and hours.isdigit():
        return _HOURS_AHEAD.get(lang, _HOURS_AHEAD["en"]).format(words, hours)
    return words


# System entries of a ticket's history, stored as a code with parameters and worded when
# shown (core.repairs.detail.HistoryEntry.text): ``{amount}`` is the amount in the store's
# currency, ``{channel}`` how the customer answered, ``{checks}`` the failed checks,
# ``{parts}`` part numbers, ``{name}`` a member of staff, ``{number}`` a ticket. A code with an ``_amount`` variant
# takes it when the entry carries an amount (entries from before codes carry none).
HISTORY_NOTES: dict[str, dict[str, str]] = _kind({
    "checked_in": ("Checked in at the counter", "已在柜台登记"),
    "assigned": ("Assigned to {name}", "已分配给{name}"),
    "unassigned": ("Technician unassigned", "已取消分配技术员"),
    "diagnosis_started": ("Diagnosis started", "开始检测"),
    "quote_sent": ("Quote sent to the customer", "报价已发送给客户"),
    "quote_sent_amount": ("Quote sent to the customer: {amount}", "报价已发送给客户：{amount}"),
    "quote_within_limit": ("Quote within the customer's approval limit", "报价在客户授权额度内"),
    "quote_within_limit_amount": ("Quote within the customer's approval limit: {amount}",
                                  "报价在客户授权额度内：{amount}"),
    "quote_approved": ("Customer approved the quote ({channel})", "客户已同意报价（{channel}）"),
    "quote_refused": ("Customer refused the quote ({channel})", "客户已拒绝报价（{channel}）"),
    "quote_declined": ("Customer declined the quote", "客户拒绝了报价"),
    "quote_revised": ("Quote to be revised", "报价待修改"),
    "waiting_for_parts": ("waiting for parts: {parts}", "等待配件：{parts}"),
    "parts_reserved": ("parts reserved", "配件已预留"),
    "part_ordered": ("Part ordered: {parts}", "已订购配件：{parts}"),
    "parts_arrived": ("Parts arrived and reserved", "配件已到货并预留"),
    "repair_started": ("Repair started", "开始维修"),
    "repair_done": ("Repair done; testing", "维修完成，测试中"),
    "qc_passed": ("Passed checks; customer notified", "质检通过，已通知客户"),
    "qc_failed": ("Failed checks: {checks}", "质检未通过：{checks}"),
    "cancelled": ("Cancelled at the customer's request", "应客户要求取消"),
    "unrepairable": ("Not repairable; device to be returned as is", "无法维修，设备将原样退还"),
    "not_economical": ("Not economical to repair; device returned as is", "维修不划算，设备已原样退还"),
    "collected": ("Collected by the customer", "客户已取机"),
    "returned_unrepaired": ("Device handed back unrepaired", "设备未经维修已退还"),
    "handed_over_override": ("Handed over without proof of identity, by a manager",
                             "未出示身份证明，由店长批准交付"),
    "pickup_voided": ("Pickup voided by a manager", "取机记录已由店长撤销"),
    "payment_voided": ("Payment voided by a manager", "付款记录已由店长撤销"),
    "payment_recorded": ("Payment recorded after the hand-over", "交付后已补记付款"),
    "rework_of": ("Rework of {number}, under the repair's warranty", "返修{number}，在维修保修期内"),
    "returned_for_rework": ("Returned under the repair's warranty: rework {number}",
                            "在维修保修期内返修：返修单{number}"),
})

# what follows the entry's own wording: parts reserved or awaited, then the staff's note
_HISTORY_SEPARATOR = {"en": "; ", "zh_CN": "；"}
_LIST_SEPARATOR = {"en": ", ", "zh_CN": "、"}


def history_note(code: str | None, params: dict[str, object] | None, lang: str, note: str = "") -> str:
    """A history entry as a person reads it in ``lang``: the wording of its code with the
    parameters filled in (an amount in its currency and the language's style, the answer
    channel and failed checks in the catalogue's words), then the parts it reserved or
    waits for, then the note staff typed (as typed). An unknown code reads as itself."""
    params = dict(params or {})
    sep = _HISTORY_SEPARATOR.get(lang, _HISTORY_SEPARATOR["en"])
    comma = _LIST_SEPARATOR.get(lang, _LIST_SEPARATOR["en"])

    def word(key: str) -> str:
        entry = HISTORY_NOTES.get(key)
        return key.replace("_", " ") if entry is None else entry.get(lang) or entry["en"]

    values: dict[str, str] = {
        "name": str(params.get("name", "")),
        "number": str(params.get("number", "")),
        "channel": term(params.get("channel"), lang, "approval_channel"),
        "checks": comma.join(term(c, lang, "qc_check") for c in _strings(params.get("checks"))),
        "parts": comma.join(_strings(params.get("parts"))),
        "amount": "",
    }
    cents, currency = params.get("amount_cents"), params.get("currency")
    if isinstance(cents, int) and isinstance(currency, str) and currency:
        values["amount"] = formatting.money(cents, currency, lang)
    bits: list[str] = []
    if code:
        key = f"{code}_amount" if values["amount"] and f"{code}_amount" in HISTORY_NOTES else code
        bits.append(word(key).format_map(values))
    missing = _strings(params.get("missing_parts"))
    if missing:
        bits.append(word("waiting_for_parts").format_map({**values, "parts": comma.join(missing)}))
    elif params.get("parts_reserved"):
        bits.append(word("parts_reserved"))
    if note and note.strip():
        bits.append(note.strip())
    return sep.join(bits)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return []
