"""The documents' sentences in English and Simplified Chinese.

``reports/`` has no Qt, so it cannot use the app's .ts/.qm translations: the sentences
live here, one small dict per language.  ``t(lang, key, **params)`` gives a sentence
(``{name}`` placeholders filled in); ``label(lang, code, context)`` names one of the
core's codes (statuses, grades, tiers...) from ``core.terms``, the catalogue the screens
read too, so paper and screen use one word.  ``context`` (or a key prefix such as
``qc_``) picks the kind where a code means different things in different places.
A key missing from the Chinese dict falls back to English, so a new string never
prints as its key.
"""

from __future__ import annotations

from typing import Any

from core import terms

LANGUAGES = ("en", "zh_CN")

EN: dict[str, str] = {
    # shared
    "generated_by": "Printed {at} by {by}",
    "page_x_of_y": "Page {x} of {y}",
    "yes": "Yes", "no": "No", "none": "None", "total": "Total", "status": "Status",
    "customer": "Customer", "phone": "Phone", "email": "Email", "device": "Device", "serial": "Serial number",
    "imei": "IMEI", "when": "When", "from": "From", "to": "To", "by": "By", "note": "Note",
    "technician": "Technician", "time": "Time", "service": "Service", "source": "Source",
    "customer_signature": "Customer's signature", "staff_signature": "Staff signature",
    "span": "{first} – {last}",
    # service report
    "service_report": "Service report", "ticket": "Repair ticket", "opened": "Opened", "due": "Due",
    "collected": "Collected", "customer_and_device": "Customer and device", "warranty_until": "Warranty until",
    "coverage_until": "Coverage until", "intake": "Intake", "reported_fault": "Reported fault",
    "condition_at_intake": "Condition at intake", "accessories": "Accessories left with us",
    "received_by": "Received by", "diagnosis_and_work": "Diagnosis and work", "diagnosis": "Diagnosis",
    "not_yet_diagnosed": "Not diagnosed yet", "work_done": "Work done", "quality_check": "Quality check",
    "passed": "Passed", "failed": "Failed", "parts_and_labour": "Parts and labour", "item": "Item",
    "sku": "Part no.", "qty": "Qty", "unit_price": "Unit price", "amount": "Amount", "labour": "Labour",
    "total_charged": "Total charged", "warranty_decision": "Warranty decision", "approval": "Customer approval",
    "payment": "Payment", "status_history": "Status history", "signatures": "Signatures",
    "customer_signature_intake": "Customer at intake", "customer_signature_pickup": "Customer at pickup",
    "terms": "Terms", "survey_qr": "Tell us how we did — scan to answer two questions",
    "service_terms": (
        "Repairs carry a 90-day warranty on the parts fitted and the work done; it does not cover new damage, "
        "liquid or repairs by others. Parts marked as covered were replaced at no charge under the device's "
        "warranty or coverage plan. We back up nothing: data on the device may be lost during repair. A device "
        "not collected within 90 days of our notice that it is ready may be disposed of as the law allows."),
    # the store's tax (core.money.TaxRule)
    "subtotal": "Subtotal", "tax_line": "{label} {rate}", "tax_included": "Prices include {label} {rate}.",
    "tax_included_amount": "Prices include {label} {rate}: {amount}.",
    "tax_added": "{label} {rate} is added to the prices.",
    # intake receipt
    "intake_receipt": "Repair intake receipt", "received": "Received", "phone_ending": "ending {tail}",
    "approval_limit": "Approved up to", "call_before_any_charge": "We call before any charge",
    "contact_by": "We contact you by", "ready_by": "Expected ready",
    "intake_terms": (
        "We diagnose the device and contact you with a quote before any chargeable repair above the approved "
        "amount. Please remove your SIM and memory cards; we are not liable for data on the device. "
        "The service terms printed on the service report apply."),
    "bring_receipt": "Please bring this receipt when you collect your device.",
    # device label
    "device_label": "Device label", "label_due": "Due {due}",
    # trade-in receipt
    "tradein_receipt": "Trade-in receipt", "not_measured": "not measured", "months_old": "{n} months since release",
    "quote_reference": "Quote reference", "quoted_on": "Quoted", "valid_until": "Valid until",
    "accepted_on": "Accepted", "associate": "Associate", "kind": "Kind", "condition_answers": "Condition",
    "question": "Question", "answer": "Answer", "grade_and_value": "Grade and value", "step": "Step",
    "tradein_value": "Trade-in value", "grade": "Grade", "price_book": "Price book", "payout": "Payout",
    "declaration": "Customer's declaration",
    "voucher_code": "Voucher code",
    "voucher_redeem": "Worth {amount}. Show this code at the counter, or have it scanned, to redeem it.",
    "tradein_declaration": (
        "I declare that I own this device or am entitled to sell it, that it is not reported lost or stolen and "
        "is not subject to any finance agreement, and that I have removed my accounts (Find My / activation "
        "lock) and personal data. I transfer ownership of the device to the store for the value above. The store "
        "erases the device before it is resold; if the device is found to differ from the answers above, the "
        "store may revise the value or return the device."),
    # member card, welcome letter
    "member_card": "Member card", "member_number": "Member number", "tier": "Tier",
    "card_scan_hint": "Show this card at the counter to earn and redeem points.",
    "card_found": "Found? Please return it to {store} {phone}",
    "card_terms": "Membership terms {version} apply.", "cut_here": "Cut out your card",
    "welcome_letter": "Welcome to Orchard Rewards", "dear": "Dear {name},",
    "welcome_p1": "Thank you for joining Orchard Rewards at {store}. Your member number is {number} and you "
                  "start at the {tier} tier.",
    "welcome_p2": "To welcome you we have added {bonus} bonus points to your account; your balance today is "
                  "{balance} points. You earn one point for every full {unit} you spend on purchases and repairs.",
    "welcome_p3": "Earned points stay valid for two years; the welcome bonus does not expire. Show your card "
                  "(or give your phone number) at the counter to earn and redeem points.",
    "member_since": "Member since", "points_balance": "Points balance", "terms_version": "Terms version",
    "welcome_closing": "We look forward to seeing you again.",
    # customer export
    "customer_export": "Personal data held about you",
    "export_intro": "Everything {store} holds about {name}, as of the date below, in answer to an access "
                    "request.",
    "nothing_held": "Nothing held.",
    "export_footer": "Signature images and sealed device passcodes are not reproduced; the tickets that hold them "
                     "are marked. Ask us to correct or erase any of this data.",
    # data-subject export made at HQ (the console); its words for codes come from core.terms
    "dsr_export": "Data-subject request: export", "dsr_org": "Orchard HQ",
    "dsr_intro": "Everything Orchard's head office (HQ) holds about this person on {at}. The JSON export made at the "
                 "same time is the complete record; this is its summary.",
    "dsr_person": "The person", "dsr_customer_id": "Customer id", "dsr_erased": "Erased",
    "dsr_erased_at": "Erased on {at} ({where})", "dsr_at_hq": "at HQ", "dsr_at_store": "at store {code}",
    "dsr_served": "Stores that serve them", "dsr_store_name": "Store name", "dsr_held": "What HQ holds",
    "dsr_record_kind": "Kind of record", "dsr_records": "Records", "dsr_deleted": "Deleted", "dsr_in_force": "In force",
    "dsr_access": "On-demand fetches that showed them", "dsr_key_kind": "Searched by", "dsr_result": "Result",
    "dsr_fetch_customer": "shown", "dsr_fetch_refused": "refused", "dsr_generated": "Made {at} by {by} at HQ",
    "dsr_footer": "Ids are Orchard's own. Search keys (phone, email, member number) are never logged.",
    # manager reports
    "day_report": "Day report", "period_report": "Period report", "technician_report": "Technician productivity",
    "loyalty_report": "Loyalty summary", "tradein_report": "Trade-in summary",
    "satisfaction_report": "Customer satisfaction",
    "appointments_booked": "Appointments booked", "appointments_kept": "Appointments kept", "no_shows": "No-shows",
    "walk_ins": "Walk-ins", "tickets_opened": "Tickets opened", "tickets_closed": "Tickets closed",
    "turnaround_avg_h": "Turnaround (h, mean)", "turnaround_median_h": "Turnaround (h, median)",
    "tradeins_accepted": "Trade-ins accepted", "tradeins_quoted": "Trade-ins quoted", "new_members": "New members",
    "surveys": "Surveys", "csat": "CSAT (1–5)", "nps": "NPS", "cancelled": "Cancelled",
    "walk_in_wait_avg": "Walk-in wait (mean)", "walk_in_wait_max": "Walk-in wait (longest)",
    "tickets_collected": "Tickets collected", "kept_or_booked": "Booked (kept or to come)", "minutes": "{n} min",
    "appointments_by_hour": "Appointments by hour", "technicians": "Technicians", "appointments": "Appointments",
    "completed": "Completed", "unassigned": "Unassigned", "tickets_finished": "Repairs finished",
    "appointments_of_the_day": "All appointments of the day ({n})",
    "grp_appointments": "Appointments", "grp_tickets": "Repair tickets", "grp_tradeins": "Trade-ins",
    "grp_loyalty": "Loyalty", "grp_satisfaction": "Satisfaction", "grp_time": "Hours", "grp_repairs": "Repairs",
    "col_when": "Date", "col_booked": "Booked", "col_kept": "Kept", "col_no_show": "No-show",
    "col_walk_ins": "Walk-in", "col_opened": "Opened", "col_closed": "Closed",
    "col_turnaround": "Hours", "col_tradeins": "Count", "col_tradein_value": "Value",
    "col_members": "New members", "col_csat": "CSAT", "col_nps": "NPS", "col_completed": "Done",
    "tickets_by_day": "Repair tickets opened and closed, by day", "appointments_by_day": "Appointments by day",
    "by_week": "By week", "by_day": "By day",
    "tickets_by_week": "Repair tickets opened and closed, by week", "appointments_by_week": "Appointments by week",
    "tickets_by_month": "Repair tickets opened and closed, by month", "appointments_by_month": "Appointments by month",
    "by_month": "By month", "week_n": "W{n}",
    "definitions": (
        "Booked: appointments made ahead and not cancelled; kept: those checked in, in service or completed. "
        "Closed: tickets collected, cancelled or found unrepairable. Turnaround: intake to collection, for the "
        "tickets collected. NPS: promoters (9–10) minus detractors (0–6), in points."),
    "appointments_completed": "Appointments completed", "work_done_by_technician": "Work done by technician",
    "utilisation_pct": "Utilisation (% of shift booked)", "col_appts": "Appts", "col_booked_h": "Booked",
    "col_shift_h": "Shift", "col_utilisation": "Use %", "col_finished": "Done",
    "col_hours_to_ready": "Hours", "col_labour": "Labour", "col_parts": "Parts", "col_csat_n": "CSAT (n)",
    "productivity": "Productivity",
    "technician_definitions": (
        "Repairs done: tickets of the technician that became ready for pickup in the period; hours to ready run "
        "from intake. Labour and parts: what those tickets charge (covered work counts as zero). Utilisation: "
        "appointment time booked over shift time less breaks."),
    "members": "Members", "points_issued": "Points issued", "points_redeemed": "Points redeemed",
    "points_expired": "Points expired", "points_outstanding": "Points outstanding", "member_spend": "Member spend",
    "active_members": "Active members", "members_by_tier": "Members by tier",
    "enrolments_by_week": "New members by week", "points_ledger": "Points ledger", "entry_kind": "Entry",
    "points": "Points", "net_change": "Net change", "top_members": "Top members by spend",
    "points_earned": "Points earned",
    "count": "Count", "value": "Value", "quotes": "Quotes", "average_value": "Average value",
    "accepted_by_grade": "Accepted by grade", "accepted_by_family": "Accepted by model family",
    "accepted_by_payout": "Accepted by payout", "family": "Family",
    "price_books_used": "Price book versions used: {versions}.",
    "nps_answers": "NPS answers", "promoters": "Promoters", "passives": "Passives", "detractors": "Detractors",
    "open_feedback": "Open feedback", "answers": "Answers", "nps_distribution": "NPS answers (0–10)",
    "csat_distribution": "CSAT answers (1–5)", "feedback": "Feedback", "category": "Category", "open": "Open",
    "overdue": "Overdue", "escalated": "Escalated", "comments": "Comments", "score": "Score", "about": "About",
    "comment": "Comment",
    # satisfaction: complaints, CSAT by person, channels (issue 21)
    "complaints": "Complaints", "complaints_opened": "Complaints opened", "classified_in_time": "Classified in time",
    "resolved_in_time": "Resolved in time", "still_open": "Still open", "n_of_m": "{n} of {m}",
    "complaints_by_category": "Complaints by category", "unclassified": "Not classified yet",
    "csat_by_person": "CSAT by person", "technicians_csat": "Technicians (the repair or appointment)",
    "associates_csat": "Associates (who served the customer)", "rank": "Rank", "person": "Name",
    "csat_answers": "CSAT answers", "satisfied_pct": "Satisfied (4–5)", "unranked": "Unranked",
    "too_few_to_rank": "Too few answers to rank (fewer than {n})", "surveys_by_channel": "Surveys by channel",
    "survey_channel": "Channel", "score_n": "{value} (n={n})",
    "comments_order": "Comments from detractors (NPS 0–6 or CSAT 1–2) come first, then the rest; each newest first.",
    "complaint_definitions": (
        "Complaints opened in the span. Classified in time: classified within 24 hours of opening. Resolved in "
        "time: resolved by the due time its severity gives. Overdue: still open past that time. n: the number "
        "of answers behind a score; a person is ranked only with at least {n} answers."),
    # the period report's customer section (issue 23, reports.crm_section)
    "crm_section": "Customers", "crm_scored_at": "Segments and churn risk as HQ scored them on {at}.",
    "crm_no_scores": "No scores from HQ yet: they arrive with the next sync.",
    "segment_sizes": "Our customers by segment", "col_segment": "Segment", "col_customers": "Customers",
    "churn_top": "Highest churn risk", "col_churn": "Churn risk", "col_reasons": "Reasons",
    "segment_movement": "Segment movement", "col_change": "Change", "col_moved_in": "Moved in",
    "movement_note": (
        "Customers per segment on the period's first and last day with a snapshot ({first} and {last}; one is "
        "taken each day after a sync), and how many came into each segment on the days after the first."),
    "no_snapshots": "No segment snapshots in the period: one is taken each day after a sync.",
    "nps_by_week": "NPS by week", "col_week": "Week of",
    "complaints_clock": "Open complaints against their clock", "due_within_24h": "Due within 24 hours",
    "suggestions_taken": "Suggestions at the counter", "col_suggestion": "Suggestion", "col_accepted": "Accepted",
    "col_dismissed": "Dismissed", "col_rate": "Accepted %",
    "crm_definitions": (
        "Segments: the store's own customers by the RFM segment HQ computed for the chain; churn risk 0–100 with "
        "its reasons. NPS: promoters (9–10) less detractors (0–6) in points, per week (Monday to Sunday), with "
        "its answers. Complaints: those open now, due to be classified (24 hours) or resolved (by severity). "
        "Suggestions: next best actions accepted or dismissed at this store in the weeks shown."),
}

ZH: dict[str, str] = {
    "generated_by": "打印时间 {at}，打印人 {by}",
    "page_x_of_y": "第 {x} 页，共 {y} 页",
    "yes": "是", "no": "否", "none": "无", "total": "合计", "status": "状态",
    "customer": "顾客", "phone": "电话", "email": "电子邮箱", "device": "设备", "serial": "序列号",
    "imei": "IMEI", "when": "时间", "from": "原状态", "to": "新状态", "by": "经办人", "note": "备注",
    "technician": "技术员", "time": "时间", "service": "服务", "source": "来源",
    "customer_signature": "顾客签名", "staff_signature": "员工签名",
    "span": "{first} 至 {last}",
    "service_report": "维修服务报告", "ticket": "维修单", "opened": "开单时间", "due": "预计完成",
    "collected": "取机时间", "customer_and_device": "顾客与设备", "warranty_until": "保修截止",
    "coverage_until": "延保截止", "intake": "收机", "reported_fault": "故障描述",
    "condition_at_intake": "收机时外观", "accessories": "随机附件", "received_by": "收机人",
    "diagnosis_and_work": "检测与维修", "diagnosis": "检测结果", "not_yet_diagnosed": "尚未检测",
    "work_done": "维修内容", "quality_check": "质检", "passed": "通过", "failed": "未通过",
    "parts_and_labour": "配件与人工", "item": "项目", "sku": "配件编号", "qty": "数量", "unit_price": "单价",
    "amount": "金额", "labour": "人工费", "total_charged": "应付合计", "warranty_decision": "保修判定",
    "approval": "顾客确认", "payment": "付款", "status_history": "状态记录", "signatures": "签名",
    "customer_signature_intake": "顾客（收机时）", "customer_signature_pickup": "顾客（取机时）", "terms": "服务条款",
    "survey_qr": "服务满意吗？扫码回答两个问题",
    "service_terms": (
        "所更换配件及维修工艺享有 90 天保修，新的损坏、进液及他人维修不在保修范围内。标注为“保修”的配件已按设备保修或延保计划免费更换。"
        "本店不做数据备份，维修过程中设备数据可能丢失。设备完成维修并通知后 90 天内未取回的，本店可依法处理。"),
    "subtotal": "小计", "tax_line": "{label} {rate}", "tax_included": "价格已含{label} {rate}。",
    "tax_included_amount": "价格已含{label} {rate}：{amount}。", "tax_added": "价格另加{label} {rate}。",
    "intake_receipt": "维修收机单", "received": "收机时间", "phone_ending": "尾号 {tail}",
    "approval_limit": "已同意金额上限", "call_before_any_charge": "产生任何费用前先致电确认",
    "contact_by": "联系方式", "ready_by": "预计完成",
    "intake_terms": "我们将检测设备，如维修费用超过已同意金额，会先联系您报价。请取出 SIM 卡和存储卡；本店不对设备内数据负责。"
                    "维修服务报告所载服务条款适用。",
    "bring_receipt": "取机时请出示本收据。",
    "device_label": "设备标签", "label_due": "完成 {due}",
    "tradein_receipt": "以旧换新回收单", "not_measured": "未检测", "months_old": "上市 {n} 个月",
    "quote_reference": "估价编号", "quoted_on": "估价时间", "valid_until": "有效期至", "accepted_on": "成交时间",
    "associate": "店员", "kind": "类型", "condition_answers": "成色检查", "question": "检查项", "answer": "结果",
    "grade_and_value": "成色等级与估价", "step": "计价步骤", "tradein_value": "回收价", "grade": "成色等级",
    "price_book": "价目表", "payout": "支付方式", "declaration": "顾客声明",
    "voucher_code": "代金券码", "voucher_redeem": "面值 {amount}。在柜台出示本券码或扫码即可使用。",
    "tradein_declaration": (
        "本人声明：本人拥有该设备或有权出售该设备；该设备未被登记为丢失或被盗，亦无任何分期或融资约束；本人已退出账户（查找功能/激活锁）"
        "并删除个人数据。本人同意以上述价格将设备所有权转让给本店。本店在转售前会清除设备数据；如设备实际情况与上述回答不符，本店可调整价格或退回设备。"),
    "member_card": "会员卡", "member_number": "会员号", "tier": "会员等级",
    "card_scan_hint": "在柜台出示本卡即可累积和兑换积分。", "card_found": "拾到本卡请交还 {store} {phone}",
    "card_terms": "适用会员条款 {version} 版。", "cut_here": "沿虚线剪下会员卡",
    "welcome_letter": "欢迎加入 Orchard 会员", "dear": "尊敬的{name}：",
    "welcome_p1": "感谢您在 {store} 加入 Orchard 会员计划。您的会员号为 {number}，起始等级为{tier}。",
    "welcome_p2": "我们已为您的账户赠送 {bonus} 欢迎积分，您目前的积分余额为 {balance} 分。购物和维修每消费一{unit}即可获得一积分。",
    "welcome_p3": "所得积分有效期为两年，欢迎积分长期有效。在柜台出示会员卡（或提供手机号）即可累积和兑换积分。",
    "member_since": "入会日期", "points_balance": "积分余额", "terms_version": "条款版本",
    "welcome_closing": "期待您的再次光临。",
    "customer_export": "您的个人数据副本",
    "export_intro": "应您的查阅请求，以下为 {store} 截至下列日期所持有的关于 {name} 的全部数据。",
    "nothing_held": "无记录。",
    "export_footer": "签名图像和加密保存的设备密码不在此复制，含有这些内容的维修单已作标注。如需更正或删除任何数据，请联系我们。",
    "dsr_export": "数据主体请求：导出", "dsr_org": "Orchard 总部",
    "dsr_intro": "截至 {at}，Orchard 总部（HQ）保存的关于此人的全部信息。同时生成的 JSON 导出是完整记录，本文件为其摘要。",
    "dsr_person": "本人", "dsr_customer_id": "客户编号", "dsr_erased": "已删除",
    "dsr_erased_at": "已于 {at} 删除（{where}）", "dsr_at_hq": "在总部", "dsr_at_store": "在门店 {code}",
    "dsr_served": "为其服务的门店", "dsr_store_name": "门店名称", "dsr_held": "总部保存的内容",
    "dsr_record_kind": "记录类型", "dsr_records": "记录数", "dsr_deleted": "已删除", "dsr_in_force": "现行",
    "dsr_access": "显示过此人的按需查询", "dsr_key_kind": "查询方式", "dsr_result": "结果",
    "dsr_fetch_customer": "已显示", "dsr_fetch_refused": "已拒绝", "dsr_generated": "{by} 于 {at} 在总部生成",
    "dsr_footer": "编号为 Orchard 内部编号。查询所用的电话、电子邮箱、会员号从不记录。",
    "day_report": "日报", "period_report": "期间报表", "technician_report": "技术员工作效率",
    "loyalty_report": "会员汇总", "tradein_report": "以旧换新汇总", "satisfaction_report": "顾客满意度",
    "appointments_booked": "预约数", "appointments_kept": "按约到店", "no_shows": "未到店", "walk_ins": "临时到店",
    "tickets_opened": "新开维修单", "tickets_closed": "已结维修单", "turnaround_avg_h": "周转时间（小时，平均）",
    "turnaround_median_h": "周转时间（小时，中位数）", "tradeins_accepted": "回收成交", "tradeins_quoted": "回收估价",
    "new_members": "新会员", "surveys": "问卷", "csat": "满意度（1–5）", "nps": "净推荐值", "cancelled": "已取消",
    "walk_in_wait_avg": "临时到店等待（平均）", "walk_in_wait_max": "临时到店等待（最长）",
    "tickets_collected": "已取机", "kept_or_booked": "预约（到店或待到店）", "minutes": "{n} 分钟",
    "appointments_by_hour": "各时段预约", "technicians": "技术员", "appointments": "预约", "completed": "已完成",
    "unassigned": "未分配", "tickets_finished": "完成维修", "appointments_of_the_day": "当日全部预约（{n}）",
    "grp_appointments": "预约", "grp_tickets": "维修单", "grp_tradeins": "以旧换新", "grp_loyalty": "会员",
    "grp_satisfaction": "满意度", "grp_time": "小时", "grp_repairs": "维修",
    "col_when": "日期", "col_booked": "预约", "col_kept": "到店", "col_no_show": "未到店", "col_walk_ins": "临时",
    "col_opened": "新开", "col_closed": "已结", "col_turnaround": "周转", "col_tradeins": "成交",
    "col_tradein_value": "金额", "col_members": "新会员", "col_csat": "满意度", "col_nps": "NPS", "col_completed": "完成",
    "tickets_by_day": "每日新开与已结维修单", "appointments_by_day": "每日预约", "by_week": "按周", "by_day": "按日",
    "tickets_by_week": "每周新开与已结维修单", "appointments_by_week": "每周预约",
    "tickets_by_month": "每月新开与已结维修单", "appointments_by_month": "每月预约",
    "by_month": "按月", "week_n": "第{n}周",
    "definitions": "预约：提前预约且未取消；到店：已签到、服务中或已完成。结单：已取机、已取消或无法维修。"
                   "周转时间：从收机到取机，按已取机的维修单计算。净推荐值：推荐者（9–10 分）比例减去贬损者（0–6 分）比例。",
    "appointments_completed": "完成预约", "work_done_by_technician": "各技术员完成工作",
    "utilisation_pct": "利用率（已约时间占排班 %）", "col_appts": "预约", "col_booked_h": "已约",
    "col_shift_h": "排班", "col_utilisation": "利用率", "col_finished": "完成",
    "col_hours_to_ready": "用时", "col_labour": "人工费", "col_parts": "配件费", "col_csat_n": "满意度（份）",
    "productivity": "工作效率",
    "technician_definitions": "完成维修：该技术员的维修单在期间内变为待取机；完成用时从收机起算。人工费与配件费：这些维修单应收的金额"
                              "（保修内为零）。利用率：已约服务时间占排班时间（不含休息）的比例。",
    "members": "会员总数", "points_issued": "发放积分", "points_redeemed": "兑换积分", "points_expired": "过期积分",
    "points_outstanding": "未用积分", "member_spend": "会员消费", "active_members": "有效会员",
    "members_by_tier": "各等级会员", "enrolments_by_week": "每周新会员", "points_ledger": "积分明细",
    "entry_kind": "类型", "points": "积分", "net_change": "净变化", "top_members": "消费最多的会员",
    "points_earned": "获得积分",
    "count": "数量", "value": "金额", "quotes": "估价单", "average_value": "平均回收价",
    "accepted_by_grade": "按成色统计成交", "accepted_by_family": "按机型系列统计成交",
    "accepted_by_payout": "按支付方式统计成交", "family": "系列", "price_books_used": "使用的价目表版本：{versions}。",
    "nps_answers": "NPS 答卷", "promoters": "推荐者", "passives": "中立者", "detractors": "贬损者",
    "open_feedback": "未处理反馈", "answers": "答卷", "nps_distribution": "NPS 评分分布（0–10）",
    "csat_distribution": "满意度评分分布（1–5）", "feedback": "意见反馈", "category": "类别", "open": "未处理",
    "overdue": "已逾期", "escalated": "已升级", "comments": "顾客留言", "score": "评分", "about": "针对",
    "comment": "留言",
    "complaints": "投诉", "complaints_opened": "新增投诉", "classified_in_time": "按时分类",
    "resolved_in_time": "按时解决", "still_open": "仍未处理", "n_of_m": "{n} / {m}",
    "complaints_by_category": "按类别统计投诉", "unclassified": "尚未分类",
    "csat_by_person": "按人员统计满意度", "technicians_csat": "技术员（维修或预约）",
    "associates_csat": "店员（接待顾客者）", "rank": "排名", "person": "姓名",
    "csat_answers": "满意度答卷", "satisfied_pct": "满意（4–5）", "unranked": "不排名",
    "too_few_to_rank": "答卷太少，不排名（少于 {n} 份）", "surveys_by_channel": "按渠道统计问卷",
    "survey_channel": "渠道", "score_n": "{value}（{n} 份）",
    "comments_order": "贬损者（NPS 0–6 或满意度 1–2）的留言在前，其余在后；各自按时间由近及远。",
    "complaint_definitions": (
        "统计期内新增的投诉。按时分类：开立后24小时内完成分类。按时解决：在其严重程度规定的截止时间前解决。"
        "已逾期：超过截止时间仍未处理。括号内为评分所依据的答卷份数；人员至少有 {n} 份答卷才参与排名。"),
    "crm_section": "顾客洞察", "crm_scored_at": "客户分群与流失风险为总部于 {at} 的评分。",
    "crm_no_scores": "尚无总部评分：将在下次同步时送达。",
    "segment_sizes": "本店顾客分群", "col_segment": "客户分群", "col_customers": "顾客数",
    "churn_top": "流失风险最高的顾客", "col_churn": "流失风险", "col_reasons": "原因",
    "segment_movement": "客户分群变化", "col_change": "变化", "col_moved_in": "新进入",
    "movement_note": (
        "本期第一个和最后一个有快照的日期（{first} 与 {last}；每天同步后记录一次）各分群的顾客数，"
        "以及第一天之后新进入各分群的顾客数。"),
    "no_snapshots": "本期没有客户分群快照：每天同步后会记录一次。",
    "nps_by_week": "每周净推荐值", "col_week": "周起始日",
    "complaints_clock": "未处理投诉的处理时限", "due_within_24h": "24 小时内到期",
    "suggestions_taken": "柜台推荐行动", "col_suggestion": "建议", "col_accepted": "已接受",
    "col_dismissed": "已忽略", "col_rate": "接受率",
    "crm_definitions": (
        "客户分群：本店顾客按总部为全连锁计算的 RFM 分群统计；流失风险 0–100 并列出原因。净推荐值：每周（周一至周日）"
        "推荐者（9–10 分）比例减去贬损者（0–6 分）比例，附答卷数。投诉：当前未处理的投诉，须在 24 小时内分类，"
        "并按严重程度在期限内解决。推荐行动：所示各周内本店接受或忽略的下一步最佳行动。"),
}

STRINGS = {"en": EN, "zh_CN": ZH}

# The documents' contexts and key prefixes, as kinds of the core's term catalogue.
CONTEXT_KINDS = {
    "kind": "device_kind", "unit": "currency_unit", "service": "service", "purpose": "consent_purpose",
    "channel": "consent_channel", "source": "appointment_source", "grade": "grade", "payout": "payout",
    "warranty_decision": "warranty_decision", "tier": "tier", "category": "feedback_category",
    "language": "language", "approval_channel": "approval_channel", "payment_status": "payment_status",
    "record": "audit_record", "survey_channel": "survey_channel", "severity": "complaint_severity",
    "outcome": "care_outcome", "call": "care_task",
    "segment": "segment", "value_band": "value_band", "action": "next_action", "action_outcome": "action_outcome",
}
PREFIX_KINDS = {"cond_": "intake_check", "qc_": "qc_check", "step_": "quote_step", "sec_": "export_section",
                "f_": "export_field"}


def t(lang: str, key: str, **params: Any) -> str:
    text = STRINGS.get(lang, EN).get(key) or EN.get(key) or key
    return text.format(**params) if params else text


def label(lang: str, code: Any, context: str | None = None, default: str | None = None) -> str:
    """The catalogue's word for one of the core's codes; a document's table cell starts
    with a capital in English."""
    if code is None or code == "":
        return ""
    code, kind = str(code), CONTEXT_KINDS.get(context or "")
    for prefix, prefixed_kind in PREFIX_KINDS.items():
        if code.startswith(prefix) and terms.find(code[len(prefix):], prefixed_kind):
            code, kind = code[len(prefix):], prefixed_kind
            break
    if default is not None and terms.find(code, kind) is None:
        return default
    text = terms.term(code, lang, kind)
    return text[:1].upper() + text[1:] if lang == "en" else text


def missing(lang: str) -> list[str]:
    """Keys that ``lang`` lacks (a test keeps this empty for Chinese)."""
    return sorted(set(EN) - set(STRINGS[lang]))
