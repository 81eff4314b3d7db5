package web

import (
	"net/http"

	"golang.org/x/text/language"
)

// Languages the pages are written in; the first is the fallback.
var supported = []language.Tag{language.English, language.SimplifiedChinese}

// langNames are the codes the switch and the cookie use, by tag index.
var langCodes = []string{"en", "zh-CN"}

// langCookie keeps a visitor's choice from the language switch.
const langCookie = "dealerhub_lang"

// matcher picks the closest supported language; it is read-only after
// init, so sharing it is safe.
var matcher = language.NewMatcher(supported)

// pickLang returns the language of a request: the switch (?lang=), then
// the cookie it set, then the user's preference, then Accept-Language.
func pickLang(r *http.Request, userLang string) string {
	if l := r.URL.Query().Get("lang"); isLangCode(l) {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && isLangCode(c.Value) {
		return c.Value
	}
	prefs := []string{userLang, r.Header.Get("Accept-Language")}
	for _, p := range prefs {
		if p == "" {
			continue
		}
		tags, _, err := language.ParseAcceptLanguage(p)
		if err != nil || len(tags) == 0 {
			continue
		}
		_, i, conf := matcher.Match(tags...)
		if conf != language.No {
			return langCodes[i]
		}
	}
	return langCodes[0]
}

func isLangCode(s string) bool {
	for _, c := range langCodes {
		if s == c {
			return true
		}
	}
	return false
}

// translate returns the text of key in lang, falling back to English and
// then to the key itself (a test checks that every key has both).
func translate(lang, key string) string {
	if s, ok := messages[lang][key]; ok {
		return s
	}
	if s, ok := messages["en"][key]; ok {
		return s
	}
	return key
}

// messages holds every text of the pages by language and key.
var messages = map[string]map[string]string{
	"en": {
		"app.name":            "dealerhub portal",
		"nav.account":         "My account",
		"nav.users":           "Users",
		"nav.keys":            "API keys",
		"nav.logout":          "Log out",
		"nav.login":           "Log in",
		"lang.switch":         "中文",
		"login.title":         "Log in",
		"login.email":         "Email",
		"login.password":      "Password",
		"login.submit":        "Log in",
		"login.failed":        "Wrong email or password.",
		"account.title":       "My account",
		"account.name":        "Name",
		"account.email":       "Email",
		"account.partner":     "Organisation",
		"account.role":        "Role",
		"account.lang":        "Language",
		"account.lang.auto":   "Follow the browser",
		"account.save":        "Save",
		"account.saved":       "Saved.",
		"role.admin":          "Administrator",
		"role.member":         "Member",
		"users.title":         "Users",
		"users.status":        "Status",
		"users.active":        "Active",
		"users.invited":       "Invited",
		"users.disabled":      "Disabled",
		"users.invite":        "Invite a user",
		"users.invite.submit": "Invite",
		"users.invite.link":   "Send this link to the user. It is shown only once and works for 72 hours:",
		"keys.title":          "API keys",
		"keys.id":             "ID",
		"keys.label":          "Label",
		"keys.created":        "Created",
		"keys.revoked":        "Revoked",
		"keys.active":         "Active",
		"keys.create":         "Create a key",
		"keys.create.submit":  "Create",
		"keys.new":            "The new key. Copy it now: it is shown only once.",
		"keys.revoke":         "Revoke",
		"invite.title":        "Set your password",
		"invite.password":     "New password (at least 10 characters)",
		"invite.submit":       "Set password",
		"invite.invalid":      "This invite is unknown, used or expired. Ask your administrator for a new one.",
		"invite.done":         "Your password is set. You can log in now.",
		"error.forbidden":     "You may not open this page.",
		"error.csrf":          "The form expired or did not come from this site. Reload the page and try again.",
		"error.invalid":       "Please check the form:",
		"error.email_taken":   "A user with this email exists already.",
		"error.notfound":      "Not found.",
		"error.internal":      "Something went wrong. Try again later.",
		"error.title":         "Error",
		"common.back":         "Back",

		// Orders and dashboard.
		"dashboard.title":            "Dashboard",
		"dashboard.open":             "Open orders",
		"dashboard.recent":           "Recent activity",
		"orders.title":               "Orders",
		"orders.all":                 "All orders",
		"orders.date":                "Order date",
		"orders.dealer":              "Dealer",
		"orders.supplier":            "Supplier",
		"orders.filter":              "Filter",
		"orders.lines":               "Lines",
		"orders.next":                "Next page",
		"orders.none":                "No orders.",
		"orders.number":              "Order number",
		"orders.partner":             "Other party",
		"orders.status":              "Status",
		"orders.status.any":          "Any status",
		"orders.updated":             "Updated",
		"orders.respond.none":        "Choose an answer for at least one line.",
		"orders.ship.none":           "Enter a quantity to ship for at least one line.",
		"orders.receive.bad_date":    "The receipt date must be a date (YYYY-MM-DD).",
		"order.title":                "Order",
		"order.answer":               "Answer",
		"order.answer.none":          "(no answer)",
		"order.asn":                  "Ship notice (ASN)",
		"order.carrier":              "Carrier",
		"order.confirmed_qty":        "confirmed",
		"order.currency":             "Currency",
		"order.date":                 "date",
		"order.line":                 "Line",
		"order.lines":                "Lines and timeline",
		"order.not_applied":          "arrived late; the status did not go back",
		"order.note":                 "Note",
		"order.ordered_qty":          "Ordered",
		"order.package":              "package",
		"order.price":                "price",
		"order.progress":             "Progress",
		"order.promised":             "promised date",
		"order.qty":                  "quantity",
		"order.reason":               "reason",
		"order.receive":              "Record receipt",
		"order.receive.hint":         "Leave the quantities empty to receive everything the shipment carried.",
		"order.receive.submit":       "Record receipt",
		"order.received_on":          "Received on",
		"order.received_qty":         "received",
		"order.requested":            "Requested date",
		"order.respond":              "Answer the order",
		"order.respond.submit":       "Send answer",
		"order.ship":                 "Create a ship notice",
		"order.ship.submit":          "Send ship notice",
		"order.ship_date":            "Ship date",
		"order.ship_qty":             "Quantity to ship",
		"order.shipments":            "Shipments",
		"order.shipped_qty":          "shipped",
		"order.sscc":                 "Package SSCC",
		"order.tracking_number":      "Tracking number",
		"order.tracking_status":      "Tracking status",
		"order.done.response":        "Your answer was sent to the dealer.",
		"order.done.shipment":        "The ship notice was sent to the dealer.",
		"order.done.receipt":         "The receipt was recorded.",
		"status.draft":               "Draft",
		"status.sent":                "Sent",
		"status.acknowledged":        "Acknowledged",
		"status.confirmed":           "Confirmed",
		"status.partially_confirmed": "Partially confirmed",
		"status.changed":             "Changed",
		"status.rejected":            "Rejected",
		"status.partially_shipped":   "Partially shipped",
		"status.shipped":             "Shipped",
		"status.delivered":           "Delivered",
		"status.received":            "Received",
		"status.cancelled":           "Cancelled",
		"step.ordered":               "Ordered",
		"step.confirmed":             "Confirmed",
		"step.changed":               "Changed",
		"step.rejected":              "Rejected",
		"step.backordered":           "Backordered",
		"step.shipped":               "Shipped",
		"step.tracking":              "Tracking",
		"step.received":              "Received",
		"response.accepted":          "Accept",
		"response.changed":           "Change",
		"response.rejected":          "Reject",
		"response.backordered":       "Backorder",
		"tracking.info_received":     "Label created",
		"tracking.picked_up":         "Picked up",
		"tracking.in_transit":        "In transit",
		"tracking.out_for_delivery":  "Out for delivery",
		"tracking.delivered":         "Delivered",
		"tracking.exception":         "Exception",
		"tracking.returned":          "Returned",
	},
	"zh-CN": {
		"app.name":            "dealerhub 门户",
		"nav.account":         "我的账户",
		"nav.users":           "用户",
		"nav.keys":            "API 密钥",
		"nav.logout":          "退出登录",
		"nav.login":           "登录",
		"lang.switch":         "English",
		"login.title":         "登录",
		"login.email":         "电子邮件",
		"login.password":      "密码",
		"login.submit":        "登录",
		"login.failed":        "电子邮件或密码错误。",
		"account.title":       "我的账户",
		"account.name":        "姓名",
		"account.email":       "电子邮件",
		"account.partner":     "组织",
		"account.role":        "角色",
		"account.lang":        "语言",
		"account.lang.auto":   "跟随浏览器",
		"account.save":        "保存",
		"account.saved":       "已保存。",
		"role.admin":          "管理员",
		"role.member":         "成员",
		"users.title":         "用户",
		"users.status":        "状态",
		"users.active":        "已启用",
		"users.invited":       "已邀请",
		"users.disabled":      "已停用",
		"users.invite":        "邀请用户",
		"users.invite.submit": "邀请",
		"users.invite.link":   "请将此链接发送给该用户。链接只显示一次，72 小时内有效：",
		"keys.title":          "API 密钥",
		"keys.id":             "编号",
		"keys.label":          "标签",
		"keys.created":        "创建时间",
		"keys.revoked":        "已撤销",
		"keys.active":         "有效",
		"keys.create":         "创建密钥",
		"keys.create.submit":  "创建",
		"keys.new":            "新密钥。请立即复制：它只显示一次。",
		"keys.revoke":         "撤销",
		"invite.title":        "设置密码",
		"invite.password":     "新密码（至少 10 个字符）",
		"invite.submit":       "设置密码",
		"invite.invalid":      "此邀请无效、已使用或已过期。请向管理员索取新的邀请。",
		"invite.done":         "密码已设置，现在可以登录。",
		"error.forbidden":     "您无权打开此页面。",
		"error.csrf":          "表单已过期或并非来自本站。请刷新页面后重试。",
		"error.invalid":       "请检查表单：",
		"error.email_taken":   "已存在使用此电子邮件的用户。",
		"error.notfound":      "未找到。",
		"error.internal":      "出现错误，请稍后再试。",
		"error.title":         "错误",
		"common.back":         "返回",

		// Orders and dashboard.
		"dashboard.title":            "概览",
		"dashboard.open":             "未完成的订单",
		"dashboard.recent":           "最近动态",
		"orders.title":               "订单",
		"orders.all":                 "全部订单",
		"orders.date":                "订单日期",
		"orders.dealer":              "经销商",
		"orders.supplier":            "供应商",
		"orders.filter":              "筛选",
		"orders.lines":               "行数",
		"orders.next":                "下一页",
		"orders.none":                "没有订单。",
		"orders.number":              "订单号",
		"orders.partner":             "对方",
		"orders.status":              "状态",
		"orders.status.any":          "全部状态",
		"orders.updated":             "更新时间",
		"orders.respond.none":        "请至少为一行选择答复。",
		"orders.ship.none":           "请至少为一行填写发货数量。",
		"orders.receive.bad_date":    "收货日期格式应为 YYYY-MM-DD。",
		"order.title":                "订单",
		"order.answer":               "答复",
		"order.answer.none":          "（不答复）",
		"order.asn":                  "发货通知（ASN）",
		"order.carrier":              "承运商",
		"order.confirmed_qty":        "已确认",
		"order.currency":             "币种",
		"order.date":                 "日期",
		"order.line":                 "行",
		"order.lines":                "订单行与时间线",
		"order.not_applied":          "迟到的事件，状态未回退",
		"order.note":                 "备注",
		"order.ordered_qty":          "订购",
		"order.package":              "包裹",
		"order.price":                "单价",
		"order.progress":             "进度",
		"order.promised":             "承诺交期",
		"order.qty":                  "数量",
		"order.reason":               "原因",
		"order.receive":              "登记收货",
		"order.receive.hint":         "数量留空表示按发货通知全部收货。",
		"order.receive.submit":       "登记收货",
		"order.received_on":          "收货日期",
		"order.received_qty":         "已收货",
		"order.requested":            "要求交期",
		"order.respond":              "答复订单",
		"order.respond.submit":       "发送答复",
		"order.ship":                 "创建发货通知",
		"order.ship.submit":          "发送发货通知",
		"order.ship_date":            "发货日期",
		"order.ship_qty":             "发货数量",
		"order.shipments":            "发货",
		"order.shipped_qty":          "已发货",
		"order.sscc":                 "包裹 SSCC",
		"order.tracking_number":      "运单号",
		"order.tracking_status":      "物流状态",
		"order.done.response":        "答复已发送给经销商。",
		"order.done.shipment":        "发货通知已发送给经销商。",
		"order.done.receipt":         "收货已登记。",
		"status.draft":               "草稿",
		"status.sent":                "已发送",
		"status.acknowledged":        "已收到",
		"status.confirmed":           "已确认",
		"status.partially_confirmed": "部分确认",
		"status.changed":             "已变更",
		"status.rejected":            "已拒绝",
		"status.partially_shipped":   "部分发货",
		"status.shipped":             "已发货",
		"status.delivered":           "已送达",
		"status.received":            "已收货",
		"status.cancelled":           "已取消",
		"step.ordered":               "下单",
		"step.confirmed":             "已确认",
		"step.changed":               "已变更",
		"step.rejected":              "已拒绝",
		"step.backordered":           "缺货待发",
		"step.shipped":               "已发货",
		"step.tracking":              "物流",
		"step.received":              "已收货",
		"response.accepted":          "接受",
		"response.changed":           "变更",
		"response.rejected":          "拒绝",
		"response.backordered":       "缺货待发",
		"tracking.info_received":     "已下单",
		"tracking.picked_up":         "已揽收",
		"tracking.in_transit":        "运输中",
		"tracking.out_for_delivery":  "派送中",
		"tracking.delivered":         "已签收",
		"tracking.exception":         "异常",
		"tracking.returned":          "已退回",
	},
}
